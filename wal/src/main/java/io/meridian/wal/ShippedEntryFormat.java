package io.meridian.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one definition of a {@link WalEntry}'s region-independent form: the fields every region agrees
 * on for cluster-log index N. Cross-region batches carry runs of it (the cross-region
 * {@code BatchCodec}, which may LZ4-compress the run), and a region commits a received batch to its
 * own Raft log in it (region-raft's {@code RaftCommand.Batch}).
 *
 * <p>Layout, little-endian, no padding:
 * <pre>
 *   int64 index | int64 epoch | int64 timestampMillis | int8 type
 *   | uint16 originLength | origin (UTF-8) | int32 payloadLength | payload
 * </pre>
 * Raft index and term are not part of it: they are local to a region, and decoded entries carry 0
 * for both. This is not the WAL's durable frame on disk ({@link EntryCodec}: raft placement, version
 * and CRC32C), which stays as it is so that existing WALs remain readable.
 *
 * <p>{@link #put} and {@link #get} use this layout whatever the buffer's byte order, and leave that
 * order as they found it. {@link #get} never throws anything but {@link MalformedEntryException} on
 * malformed input, and reads nothing past the buffer's limit. Thread-safe (stateless), except a
 * {@link Reader}.
 */
public final class ShippedEntryFormat {

    /** Fixed bytes of one entry besides origin and payload. */
    public static final int HEADER_LENGTH = 8 + 8 + 8 + 1 + 2 + 4;
    /** Longest origin region name, in UTF-8 bytes. */
    public static final int MAX_ORIGIN_LENGTH = 0xFFFF;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private ShippedEntryFormat() {
    }

    /** Bytes {@code entry} takes in this form. */
    public static int size(WalEntry entry) {
        return HEADER_LENGTH + utf8Length(entry.originRegion()) + entry.payload().length;
    }

    /**
     * Writes {@code entry} at the buffer's position, advancing it by {@link #size}.
     *
     * @throws IllegalArgumentException if the origin is longer than {@link #MAX_ORIGIN_LENGTH} bytes
     * @throws java.nio.BufferOverflowException if the buffer has less room than {@link #size}
     */
    public static void put(ByteBuffer buffer, WalEntry entry) {
        final byte[] origin = entry.originRegion().getBytes(StandardCharsets.UTF_8);
        if (origin.length > MAX_ORIGIN_LENGTH) {
            throw new IllegalArgumentException("originRegion longer than " + MAX_ORIGIN_LENGTH + " bytes");
        }
        final ByteOrder callerOrder = buffer.order();
        buffer.order(ORDER);
        try {
            buffer.putLong(entry.index()).putLong(entry.epoch()).putLong(entry.timestampMillis()).put(entry.type());
            buffer.putShort((short) origin.length).put(origin);
            buffer.putInt(entry.payload().length).put(entry.payload());
        } finally {
            buffer.order(callerOrder);
        }
    }

    /**
     * Reads one entry at the buffer's position, advancing past it.
     *
     * @throws MalformedEntryException if the bytes there are not a whole, valid entry (the position is then unspecified)
     */
    public static WalEntry get(ByteBuffer buffer) throws MalformedEntryException {
        return new Reader().get(buffer);
    }

    /**
     * Reads a run of entries, reusing the previous entry's origin String when the bytes match
     * (consecutive entries nearly always share an origin). Not thread-safe.
     */
    public static final class Reader {
        private byte[] previousOriginBytes;
        private String previousOrigin;

        /** See {@link ShippedEntryFormat#get}. */
        public WalEntry get(ByteBuffer buffer) throws MalformedEntryException {
            final ByteOrder callerOrder = buffer.order();
            buffer.order(ORDER);
            try {
                return read(buffer);
            } finally {
                buffer.order(callerOrder);
            }
        }

        private WalEntry read(ByteBuffer buffer) throws MalformedEntryException {
            require(buffer, HEADER_LENGTH - 4, "an entry", "header");
            final long index = buffer.getLong();
            if (index < 1) {
                throw new MalformedEntryException("entry index must be >= 1: " + index);
            }
            final long epoch = buffer.getLong();
            final long timestampMillis = buffer.getLong();
            final byte type = buffer.get();
            if (type != WalEntry.TYPE_DATA && type != WalEntry.TYPE_CONTROL && type != WalEntry.TYPE_SESSION_DATA) {
                throw new MalformedEntryException("entry " + index + " has unknown type " + type);
            }
            final int originLength = Short.toUnsignedInt(buffer.getShort());
            require(buffer, originLength + 4L, "entry " + index, "origin");
            final byte[] originBytes = new byte[originLength];
            buffer.get(originBytes);
            if (!Arrays.equals(originBytes, previousOriginBytes)) {
                previousOrigin = decodeUtf8(originBytes, index);
                previousOriginBytes = originBytes;
            }
            final int payloadLength = buffer.getInt();
            if (payloadLength < 0) {
                throw new MalformedEntryException("entry " + index + " has negative payload length " + payloadLength);
            }
            require(buffer, payloadLength, "entry " + index, "payload");
            final byte[] payload = new byte[payloadLength];
            buffer.get(payload);
            try {
                return new WalEntry(index, 0, 0, epoch, previousOrigin, timestampMillis, type, payload);
            } catch (IllegalArgumentException e) {
                // WalEntry's own checks (e.g. a session-data payload without a well-formed session tag)
                throw new MalformedEntryException("entry " + index + ": " + e.getMessage(), e);
            }
        }
    }

    private static void require(ByteBuffer buffer, long length, String entry, String what) throws MalformedEntryException {
        if (buffer.remaining() < length) {
            throw new MalformedEntryException(entry + " truncated in " + what + ": needs " + length + " bytes, "
                    + buffer.remaining() + " left");
        }
    }

    private static String decodeUtf8(byte[] bytes, long index) throws MalformedEntryException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedEntryException("entry " + index + " has an origin region that is not UTF-8", e);
        }
    }

    /** {@code s.getBytes(UTF_8).length} without the copy. */
    private static int utf8Length(String s) {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                // Lone surrogates are encoded by String.getBytes as '?', one byte.
                length += Character.isSurrogate(c) ? 1 : 3;
            }
        }
        return length;
    }
}
