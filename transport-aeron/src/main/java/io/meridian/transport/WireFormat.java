package io.meridian.transport;

import static io.meridian.transport.DropCounters.Reason.BAD_MAGIC;
import static io.meridian.transport.DropCounters.Reason.BAD_VERSION;
import static io.meridian.transport.DropCounters.Reason.MALFORMED;
import static io.meridian.transport.DropCounters.Reason.TRUNCATED;
import static io.meridian.transport.DropCounters.Reason.UNKNOWN_TYPE;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The one definition of Meridian's frame layout. All integers little-endian, no padding.
 * (This comment is the only copy of the wire format: docs link here rather than repeat it.)
 *
 * <pre>
 * Frame  = Header | Body (bodyLength bytes) | MAC (32 bytes, HMAC-SHA256 of Header|Body)
 *
 * Header
 *   magic              i32   0x3144524D (bytes "MRD1" on the wire)
 *   version            u16   2 (1 is still read: it lacks the Batch stage stamps)
 *   type               u16   message type, table below
 *   flags              u16   none defined in v1; senders write 0, receivers ignore
 *   senderRegion       str
 *   senderNode         str
 *   senderEndpoint     str   "host:port" to reply to
 *   senderEpoch        i64
 *   senderIncarnation  i64   sender's start time, ns since 1970; grows across restarts
 *   frameSeq           i64   strictly increasing per incarnation
 *   bodyLength         i32
 *
 * str   = u16 length | UTF-8 bytes       bytes = i32 length | bytes       bool = u8 0 or 1
 *
 * type  message         body (fields in order)
 *    1  Handshake       replyTo str, epoch i64, primaryRegion str
 *    2  HandshakeReply  lastIndex i64, lastEpoch i64, epoch i64, primaryRegion str, isLeader bool,
 *                       leaderHint str
 *    3  Batch           epoch i64, firstIndex i64, lastIndex i64, entryCount i32, compressed bool,
 *                       uncompressedLength i32, entries bytes (a run of entries, each in
 *                       io.meridian.wal.ShippedEntryFormat, LZ4-compressed as a whole when
 *                       compressed: the cross-region BatchCodec),
 *                       (v2+) readMicros i64, sentMicros i64: wall-clock µs at the shipper when the
 *                       batch's first entry was read from the WAL and when the frame was offered
 *                       (the lag anatomy's stage stamps; 0 = unknown)
 *    4  Ack             appliedIndex i64, epoch i64
 *    5  Reject          reasonCode u16 (RejectReason.code), expectedIndex i64, epoch i64, detail str
 *                       (codes 1 STALE_EPOCH, 2 NOT_LEADER, 3 GAP, 5 DIVERGED, 7 OVERLOADED, 99 UNKNOWN;
 *                       4 and 6 reserved, never reused; unknown codes decode as UNKNOWN)
 *    6  Ping            epoch i64, primaryRegion str, sentNanos i64
 *    7  Pong            epoch i64, primaryRegion str, echoedSentNanos i64
 *    8  ImageRequest    replyTo str, epoch i64
 *    9  ImageChunk      imageIndex i64, imageEpoch i64, chunkNo i32, last bool, data bytes
 *   10  VoteRequest     epoch i64, candidate str
 *   11  VoteReply       epoch i64, granted bool, currentEpoch i64, currentPrimary str, votedFor str
 *   12  ForwardRequest  requestId i64, kind u8 (1 write, 2 read index), replyTo str, sessionId str,
 *                       sequence i64, payload bytes
 *   13  ForwardReply    requestId i64, status u16, epoch i64, index i64, primaryRegion str,
 *                       leaderNode str, detail str
 *
 * Receipt order and drop reasons:
 *   1. header:  shorter than the fixed minimum, or a length running past the end -> TRUNCATED;
 *               wrong magic -> BAD_MAGIC; version outside 1..2 -> BAD_VERSION;
 *               negative bodyLength or bytes after the MAC -> MALFORMED
 *   2. MAC:     mismatch -> BAD_MAC (header fields are then unverified claims)
 *   3. replay:  (incarnation, frameSeq) not above the last accepted from region+node -> REPLAYED
 *   4. body:    unknown type -> UNKNOWN_TYPE; fields not filling bodyLength exactly, a bool not 0/1,
 *               a negative count or length -> MALFORMED
 * </pre>
 *
 * <p><b>Evolution.</b> A v1 receiver accepts only version 1 and drops anything else as BAD_VERSION
 * before looking further, because a new version may move the MAC. Changes are made by:
 * <ul>
 *   <li>a new message type: new type code, no version bump; old receivers count UNKNOWN_TYPE,
 *       so only send it to peers known to understand it (e.g. negotiated in the Handshake);</li>
 *   <li>new fields: appended at the end of a body (or header), with a version bump; a receiver of
 *       version N accepts 1..N, and senders keep writing the lowest version the cluster runs
 *       until every node is upgraded;</li>
 *   <li>never: reordering, resizing or reusing fields, type codes or {@link RejectReason} codes.</li>
 * </ul>
 * Version 2 appended the Batch stage stamps. It is written unconditionally: Meridian has no
 * release that writes version 1, so there is no mixed cluster to serve; a version-1 node would
 * count every frame as BAD_VERSION (a metric and a rate-limited log line), never misread it.
 *
 * <p>Decoders never throw on bad input; they return a {@link DecodeResult} with the drop reason.
 * Encoders throw {@link IllegalArgumentException} for a string over {@value #MAX_STRING_LENGTH}
 * UTF-8 bytes; a null string or array is written as empty.
 */
public final class WireFormat {

    public static final int MAGIC = 0x3144524D;
    /** The version this node writes; it reads {@value #MIN_VERSION}..{@value #VERSION}. */
    public static final int VERSION = 2;
    public static final int MIN_VERSION = 1;
    public static final int MAX_STRING_LENGTH = 0xFFFF;

    public static final int TYPE_HANDSHAKE = 1;
    public static final int TYPE_HANDSHAKE_REPLY = 2;
    public static final int TYPE_BATCH = 3;
    public static final int TYPE_ACK = 4;
    public static final int TYPE_REJECT = 5;
    public static final int TYPE_PING = 6;
    public static final int TYPE_PONG = 7;
    public static final int TYPE_IMAGE_REQUEST = 8;
    public static final int TYPE_IMAGE_CHUNK = 9;
    public static final int TYPE_VOTE_REQUEST = 10;
    public static final int TYPE_VOTE_REPLY = 11;
    public static final int TYPE_FORWARD_REQUEST = 12;
    public static final int TYPE_FORWARD_REPLY = 13;

    /** magic, version, type, flags, three empty strings, epoch, incarnation, frameSeq, bodyLength. */
    public static final int MIN_HEADER_LENGTH = 4 + 2 + 2 + 2 + 3 * 2 + 8 + 8 + 8 + 4;
    public static final int MIN_FRAME_LENGTH = MIN_HEADER_LENGTH + FrameAuthenticator.MAC_LENGTH;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int FLAGS_NONE = 0;
    private static final int BODY_LENGTH_FIELD = 4;

    private WireFormat() {
    }

    /**
     * Writes header and body at {@code offset}, leaving room for the MAC to be appended by
     * {@link FrameAuthenticator#sign}. The buffer must be large enough (an expandable one grows).
     *
     * @param encodedNames {@link SenderIdentity#encodedNames()}, precomputed once per sender
     * @return the signed length (header + body)
     */
    public static int encode(MutableDirectBuffer buffer, int offset, SenderIdentity sender, byte[] encodedNames,
                             long epoch, long frameSeq, Message message) {
        int i = offset;
        buffer.putInt(i, MAGIC, ORDER);
        buffer.putShort(i + 4, (short) VERSION, ORDER);
        buffer.putShort(i + 6, (short) typeOf(message), ORDER);
        buffer.putShort(i + 8, (short) FLAGS_NONE, ORDER);
        i += 10;
        buffer.putBytes(i, encodedNames);
        i += encodedNames.length;
        i = putLong(buffer, i, epoch);
        i = putLong(buffer, i, sender.incarnation());
        i = putLong(buffer, i, frameSeq);
        int bodyLengthAt = i;
        int bodyStart = i + BODY_LENGTH_FIELD;
        int bodyEnd = encodeBody(buffer, bodyStart, message);
        buffer.putInt(bodyLengthAt, bodyEnd - bodyStart, ORDER);
        return bodyEnd - offset;
    }

    /** Parses and bounds-checks the header of a frame occupying exactly {@code [offset, offset + length)}. */
    public static DecodeResult<FrameHeader> decodeHeader(DirectBuffer buffer, int offset, int length) {
        if (length < MIN_FRAME_LENGTH) {
            return DecodeResult.drop(TRUNCATED);
        }
        if (buffer.getInt(offset, ORDER) != MAGIC) {
            return DecodeResult.drop(BAD_MAGIC);
        }
        WireCursor in = new WireCursor(buffer, offset + 4, offset + length);
        int version = in.u16();
        if (version < MIN_VERSION || version > VERSION) {
            return DecodeResult.drop(BAD_VERSION);
        }
        int type = in.u16();
        int flags = in.u16();
        String region = in.string();
        String node = in.string();
        String endpoint = in.string();
        long epoch = in.i64();
        long incarnation = in.i64();
        long frameSeq = in.i64();
        int bodyLength = in.i32();
        if (in.overrun()) {
            return DecodeResult.drop(TRUNCATED);
        }
        if (bodyLength < 0) {
            return DecodeResult.drop(MALFORMED);
        }
        int headerLength = in.position() - offset;
        long frameLength = (long) headerLength + bodyLength + FrameAuthenticator.MAC_LENGTH;
        if (frameLength > length) {
            return DecodeResult.drop(TRUNCATED);
        }
        if (frameLength < length) {
            return DecodeResult.drop(MALFORMED);
        }
        return DecodeResult.ok(new FrameHeader(version, type, flags, region, node, endpoint, epoch, incarnation,
            frameSeq, headerLength, bodyLength));
    }

    /** Decodes the body of a frame whose header was decoded from the same {@code offset}. */
    public static DecodeResult<Message> decodeBody(DirectBuffer buffer, int offset, FrameHeader header) {
        int start = offset + header.headerLength();
        WireCursor in = new WireCursor(buffer, start, start + header.bodyLength());
        Message message;
        switch (header.type()) {
            case TYPE_HANDSHAKE -> message = new Message.Handshake(in.string(), in.i64(), in.string());
            case TYPE_HANDSHAKE_REPLY -> {
                long lastIndex = in.i64();
                long lastEpoch = in.i64();
                long epoch = in.i64();
                String primary = in.string();
                int isLeader = in.u8();
                message = new Message.HandshakeReply(lastIndex, lastEpoch, epoch, primary, isLeader == 1, in.string());
                if (isLeader > 1) {
                    return DecodeResult.drop(MALFORMED);
                }
            }
            case TYPE_BATCH -> {
                long epoch = in.i64();
                long first = in.i64();
                long last = in.i64();
                int count = in.i32();
                int compressed = in.u8();
                int uncompressedLength = in.i32();
                byte[] entries = in.bytes();
                // v2 appended the shipper's stage stamps; a v1 batch has none (0 = unknown).
                long readMicros = header.version() >= 2 ? in.i64() : 0;
                long sentMicros = header.version() >= 2 ? in.i64() : 0;
                message = new Message.Batch(epoch, first, last, count, compressed == 1, uncompressedLength, entries,
                        readMicros, sentMicros);
                if (compressed > 1 || count < 0 || uncompressedLength < 0) {
                    return DecodeResult.drop(MALFORMED);
                }
            }
            case TYPE_ACK -> message = new Message.Ack(in.i64(), in.i64());
            case TYPE_REJECT -> message =
                new Message.Reject(RejectReason.fromCode(in.u16()), in.i64(), in.i64(), in.string());
            case TYPE_PING -> message = new Message.Ping(in.i64(), in.string(), in.i64());
            case TYPE_PONG -> message = new Message.Pong(in.i64(), in.string(), in.i64());
            case TYPE_IMAGE_REQUEST -> message = new Message.ImageRequest(in.string(), in.i64());
            case TYPE_IMAGE_CHUNK -> {
                long imageIndex = in.i64();
                long imageEpoch = in.i64();
                int chunkNo = in.i32();
                int last = in.u8();
                message = new Message.ImageChunk(imageIndex, imageEpoch, chunkNo, last == 1, in.bytes());
                if (last > 1 || chunkNo < 0) {
                    return DecodeResult.drop(MALFORMED);
                }
            }
            case TYPE_VOTE_REQUEST -> message = new Message.VoteRequest(in.i64(), in.string());
            case TYPE_VOTE_REPLY -> {
                long epoch = in.i64();
                int granted = in.u8();
                message = new Message.VoteReply(epoch, granted == 1, in.i64(), in.string(), in.string());
                if (granted > 1) {
                    return DecodeResult.drop(MALFORMED);
                }
            }
            case TYPE_FORWARD_REQUEST -> {
                long requestId = in.i64();
                int kind = in.u8();
                message = new Message.ForwardRequest(requestId, kind, in.string(), in.string(), in.i64(), in.bytes());
                if (kind != Message.FORWARD_WRITE && kind != Message.FORWARD_READ_INDEX) {
                    return DecodeResult.drop(MALFORMED);
                }
            }
            case TYPE_FORWARD_REPLY -> message = new Message.ForwardReply(in.i64(), in.u16(), in.i64(), in.i64(),
                    in.string(), in.string(), in.string());
            default -> {
                return DecodeResult.drop(UNKNOWN_TYPE);
            }
        }
        return in.exhausted() ? DecodeResult.ok(message) : DecodeResult.drop(MALFORMED);
    }

    /** The wire type code of a message. */
    public static int typeOf(Message message) {
        if (message instanceof Message.Handshake) {
            return TYPE_HANDSHAKE;
        } else if (message instanceof Message.HandshakeReply) {
            return TYPE_HANDSHAKE_REPLY;
        } else if (message instanceof Message.Batch) {
            return TYPE_BATCH;
        } else if (message instanceof Message.Ack) {
            return TYPE_ACK;
        } else if (message instanceof Message.Reject) {
            return TYPE_REJECT;
        } else if (message instanceof Message.Ping) {
            return TYPE_PING;
        } else if (message instanceof Message.Pong) {
            return TYPE_PONG;
        } else if (message instanceof Message.ImageRequest) {
            return TYPE_IMAGE_REQUEST;
        } else if (message instanceof Message.ImageChunk) {
            return TYPE_IMAGE_CHUNK;
        } else if (message instanceof Message.VoteRequest) {
            return TYPE_VOTE_REQUEST;
        } else if (message instanceof Message.VoteReply) {
            return TYPE_VOTE_REPLY;
        } else if (message instanceof Message.ForwardRequest) {
            return TYPE_FORWARD_REQUEST;
        } else if (message instanceof Message.ForwardReply) {
            return TYPE_FORWARD_REPLY;
        }
        throw new IllegalArgumentException("not a wire message: " + message);
    }

    private static int encodeBody(MutableDirectBuffer b, int i, Message message) {
        if (message instanceof Message.Handshake m) {
            return putString(b, putLong(b, putString(b, i, m.replyTo()), m.epoch()), m.primaryRegion());
        } else if (message instanceof Message.HandshakeReply m) {
            i = putLong(b, putLong(b, putLong(b, i, m.lastIndex()), m.lastEpoch()), m.epoch());
            i = putBool(b, putString(b, i, m.primaryRegion()), m.isLeader());
            return putString(b, i, m.leaderHint());
        } else if (message instanceof Message.Batch m) {
            i = putLong(b, putLong(b, putLong(b, i, m.epoch()), m.firstIndex()), m.lastIndex());
            i = putInt(b, putBool(b, putInt(b, i, m.entryCount()), m.compressed()), m.uncompressedLength());
            return putLong(b, putLong(b, putBytes(b, i, m.entries()), m.readMicros()), m.sentMicros());
        } else if (message instanceof Message.Ack m) {
            return putLong(b, putLong(b, i, m.appliedIndex()), m.epoch());
        } else if (message instanceof Message.Reject m) {
            b.putShort(i, (short) m.reason().code(), ORDER);
            return putString(b, putLong(b, putLong(b, i + 2, m.expectedIndex()), m.epoch()), m.detail());
        } else if (message instanceof Message.Ping m) {
            return putLong(b, putString(b, putLong(b, i, m.epoch()), m.primaryRegion()), m.sentNanos());
        } else if (message instanceof Message.Pong m) {
            return putLong(b, putString(b, putLong(b, i, m.epoch()), m.primaryRegion()), m.echoedSentNanos());
        } else if (message instanceof Message.ImageRequest m) {
            return putLong(b, putString(b, i, m.replyTo()), m.epoch());
        } else if (message instanceof Message.ImageChunk m) {
            i = putInt(b, putLong(b, putLong(b, i, m.imageIndex()), m.imageEpoch()), m.chunkNo());
            return putBytes(b, putBool(b, i, m.last()), m.data());
        } else if (message instanceof Message.VoteRequest m) {
            return putString(b, putLong(b, i, m.epoch()), m.candidate());
        } else if (message instanceof Message.VoteReply m) {
            i = putLong(b, putBool(b, putLong(b, i, m.epoch()), m.granted()), m.currentEpoch());
            return putString(b, putString(b, i, m.currentPrimary()), m.votedFor());
        } else if (message instanceof Message.ForwardRequest m) {
            b.putByte(i + 8, (byte) m.kind());
            i = putString(b, putString(b, putLong(b, i, m.requestId()) + 1, m.replyTo()), m.sessionId());
            return putBytes(b, putLong(b, i, m.sequence()), m.payload());
        } else if (message instanceof Message.ForwardReply m) {
            b.putShort(i + 8, (short) m.status(), ORDER);
            i = putLong(b, putLong(b, putLong(b, i, m.requestId()) + 2, m.epoch()), m.index());
            return putString(b, putString(b, putString(b, i, m.primaryRegion()), m.leaderNode()), m.detail());
        }
        throw new IllegalArgumentException("not a wire message: " + message);
    }

    private static int putLong(MutableDirectBuffer b, int i, long value) {
        b.putLong(i, value, ORDER);
        return i + 8;
    }

    private static int putInt(MutableDirectBuffer b, int i, int value) {
        b.putInt(i, value, ORDER);
        return i + 4;
    }

    private static int putBool(MutableDirectBuffer b, int i, boolean value) {
        b.putByte(i, value ? (byte) 1 : (byte) 0);
        return i + 1;
    }

    private static int putString(MutableDirectBuffer b, int i, String value) {
        if (value == null || value.isEmpty()) {
            b.putShort(i, (short) 0, ORDER);
            return i + 2;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING_LENGTH) {
            throw new IllegalArgumentException("string of " + utf8.length + " UTF-8 bytes exceeds "
                + MAX_STRING_LENGTH);
        }
        b.putShort(i, (short) utf8.length, ORDER);
        b.putBytes(i + 2, utf8);
        return i + 2 + utf8.length;
    }

    private static int putBytes(MutableDirectBuffer b, int i, byte[] value) {
        int length = value == null ? 0 : value.length;
        b.putInt(i, length, ORDER);
        if (length > 0) {
            b.putBytes(i + 4, value);
        }
        return i + 4 + length;
    }
}
