package io.meridian.wal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Binary form of a {@link WalEntry} inside one Chronicle excerpt.
 *
 * <p>Layout (big-endian): version, type, index, raftIndex, raftTerm, epoch, timestampMillis,
 * origin length (u16) + UTF-8 origin, payload length (i32) + payload, CRC32C of everything before it.
 * The checksum is ours rather than Chronicle's because Chronicle only guarantees an excerpt was
 * completely written, not that its bytes survived the disk unchanged.
 *
 * <p>This is the durable frame of the Chronicle WAL only, and deliberately not
 * {@link ShippedEntryFormat} (the region-independent form that batches and Raft commands carry): it
 * holds the local Raft placement, a version and a checksum, and changing it would change the on-disk
 * format of every existing WAL.
 */
final class EntryCodec {

    static final byte FORMAT_VERSION = 1;

    private static final int FIXED_HEADER = 1 + 1 + 8 * 5 + 2;
    private static final int MIN_LENGTH = FIXED_HEADER + 4 + 4;

    private EntryCodec() {
    }

    /**
     * Reusable encoding state for the single appending thread: a growing buffer, a CRC32C and the
     * last origin region's UTF-8 bytes (almost always the same region), so an append allocates nothing.
     */
    static final class Encoder {
        private byte[] buffer = new byte[256];
        private final CRC32C crc = new CRC32C();
        private String lastOrigin = "";
        private byte[] lastOriginBytes = new byte[0];

        /** Encodes {@code entry} into the internal buffer; returns the encoded length. */
        int encode(WalEntry entry) {
            String originRegion = entry.originRegion();
            if (!originRegion.equals(lastOrigin)) {
                lastOriginBytes = originRegion.getBytes(StandardCharsets.UTF_8);
                if (lastOriginBytes.length > 0xFFFF) {
                    throw new IllegalArgumentException("originRegion longer than 65535 UTF-8 bytes");
                }
                lastOrigin = originRegion;
            }
            byte[] origin = lastOriginBytes;
            byte[] payload = entry.payload();
            int length = MIN_LENGTH + origin.length + payload.length;
            if (buffer.length < length) {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            ByteBuffer buf = ByteBuffer.wrap(buffer);
            buf.put(FORMAT_VERSION)
                    .put(entry.type())
                    .putLong(entry.index())
                    .putLong(entry.raftIndex())
                    .putLong(entry.raftTerm())
                    .putLong(entry.epoch())
                    .putLong(entry.timestampMillis())
                    .putShort((short) origin.length)
                    .put(origin)
                    .putInt(payload.length)
                    .put(payload);
            crc.reset();
            crc.update(buffer, 0, buf.position());
            buf.putInt((int) crc.getValue());
            return length;
        }

        byte[] buffer() {
            return buffer;
        }
    }

    /** Encodes one entry into a fresh array (tests and tools; the appender reuses an {@link Encoder}). */
    static byte[] encode(WalEntry entry) {
        Encoder encoder = new Encoder();
        int length = encoder.encode(entry);
        return java.util.Arrays.copyOf(encoder.buffer(), length);
    }

    /**
     * Decodes one excerpt, verifying its checksum first.
     *
     * @throws WalCorruptionException if the bytes are not a well-formed, intact entry
     */
    static WalEntry decode(byte[] bytes) {
        if (bytes.length < MIN_LENGTH) {
            throw new WalCorruptionException("WAL excerpt too short: " + bytes.length + " bytes");
        }
        int bodyLength = bytes.length - 4;
        int stored = ByteBuffer.wrap(bytes, bodyLength, 4).getInt();
        if (stored != checksum(bytes, bodyLength)) {
            throw new WalCorruptionException("WAL excerpt checksum mismatch");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, bodyLength);
        try {
            byte version = buf.get();
            if (version != FORMAT_VERSION) {
                throw new WalCorruptionException("unknown WAL entry format version " + version);
            }
            byte type = buf.get();
            long index = buf.getLong();
            long raftIndex = buf.getLong();
            long raftTerm = buf.getLong();
            long epoch = buf.getLong();
            long timestamp = buf.getLong();
            byte[] origin = new byte[Short.toUnsignedInt(buf.getShort())];
            buf.get(origin);
            int payloadLength = buf.getInt();
            if (payloadLength != buf.remaining()) {
                throw new WalCorruptionException("WAL excerpt payload length " + payloadLength
                        + " does not match the " + buf.remaining() + " bytes left");
            }
            byte[] payload = new byte[payloadLength];
            buf.get(payload);
            return new WalEntry(index, raftIndex, raftTerm, epoch, new String(origin, StandardCharsets.UTF_8),
                    timestamp, type, payload);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new WalCorruptionException("malformed WAL excerpt", e);
        }
    }

    private static int checksum(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
