package io.meridian.xregion;

import io.meridian.transport.Message;
import io.meridian.wal.WalEntry;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes runs of consecutive WAL entries into the {@code entries} bytes of a {@link Message.Batch}
 * and back. Thread-safe (stateless; the LZ4 instances are too).
 *
 * <p>Layout, little-endian, one record per entry with no padding:
 * <pre>
 *   int64 index | int64 epoch | int64 timestampMillis | int8 type
 *   | uint16 originLength | origin (UTF-8) | int32 payloadLength | payload
 * </pre>
 * The index is repeated per entry, although the batch carries the range, so that a decoder detects
 * a corrupted or mis-framed batch instead of silently shifting entries. Raft index and term are not
 * shipped: they are local to a region, and decoded entries carry 0 for both.
 *
 * <p>The whole run is LZ4-compressed when larger than the threshold and compression actually helps.
 * Decoding uses the pure-Java safe decompressor into a fresh array: the input is remote, and the
 * native and unsafe decompressors of lz4-java 1.8.0 do not bound-check malformed input
 * (CVE-2025-12183).
 */
public final class BatchCodec {

    /** Fixed bytes of one encoded entry besides origin and payload. */
    public static final int ENTRY_HEADER_LENGTH = 8 + 8 + 8 + 1 + 2 + 4;
    /** Default bound on a batch's decoded size, so a hostile length cannot make us allocate gigabytes. */
    public static final int DEFAULT_MAX_DECODED_LENGTH = 64 * 1024 * 1024;

    private static final int MAX_ORIGIN_LENGTH = 0xFFFF;
    // LZ4 cannot expand a block by more than 255x; anything claiming more is a lie.
    private static final long MAX_LZ4_RATIO = 255;

    private final int compressThresholdBytes;
    private final int maxDecodedLength;
    private final LZ4Compressor compressor = LZ4Factory.fastestInstance().fastCompressor();
    private final LZ4SafeDecompressor decompressor = LZ4Factory.safeInstance().safeDecompressor();

    public BatchCodec(ShippingConfig config) {
        this(config.conclude().compressThresholdBytes(), DEFAULT_MAX_DECODED_LENGTH);
    }

    /**
     * @param compressThresholdBytes batches whose encoded size is strictly above this are compressed
     * @param maxDecodedLength       batches claiming a larger decoded size are rejected as malformed
     */
    public BatchCodec(int compressThresholdBytes, int maxDecodedLength) {
        if (compressThresholdBytes < 0) {
            throw new IllegalArgumentException("compressThresholdBytes must be >= 0: " + compressThresholdBytes);
        }
        if (maxDecodedLength <= 0) {
            throw new IllegalArgumentException("maxDecodedLength must be > 0: " + maxDecodedLength);
        }
        this.compressThresholdBytes = compressThresholdBytes;
        this.maxDecodedLength = maxDecodedLength;
    }

    /** Bytes the entry takes in an uncompressed batch; what {@link BatchAccumulator#add} expects. */
    public static int encodedSize(WalEntry entry) {
        return ENTRY_HEADER_LENGTH + utf8Length(entry.originRegion()) + entry.payload().length;
    }

    /**
     * @param epoch   the shipper's epoch, carried in the batch
     * @param entries non-empty, with consecutive indexes
     * @throws IllegalArgumentException on an empty or non-consecutive list, or an oversized origin
     */
    public Message.Batch encode(long epoch, List<WalEntry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one entry");
        }
        final long firstIndex = entries.get(0).index();
        long length = 0;
        final byte[][] origins = new byte[entries.size()][];
        for (int i = 0; i < entries.size(); i++) {
            final WalEntry entry = entries.get(i);
            if (entry.index() != firstIndex + i) {
                throw new IllegalArgumentException("entry " + entry.index() + " at position " + i
                        + " does not follow " + (firstIndex + i - 1));
            }
            origins[i] = originBytes(entry.originRegion());
            length += ENTRY_HEADER_LENGTH + origins[i].length + entry.payload().length;
        }
        if (length > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("batch too large to encode: " + length + " bytes");
        }
        final ByteBuffer buffer = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entries.size(); i++) {
            final WalEntry entry = entries.get(i);
            buffer.putLong(entry.index()).putLong(entry.epoch()).putLong(entry.timestampMillis()).put(entry.type());
            buffer.putShort((short) origins[i].length).put(origins[i]);
            buffer.putInt(entry.payload().length).put(entry.payload());
        }
        final byte[] raw = buffer.array();
        final long lastIndex = firstIndex + entries.size() - 1;
        if (raw.length > compressThresholdBytes) {
            final byte[] compressed = new byte[compressor.maxCompressedLength(raw.length)];
            final int compressedLength = compressor.compress(raw, 0, raw.length, compressed, 0, compressed.length);
            // Incompressible payloads (already compressed or encrypted) are cheaper to ship as they are.
            if (compressedLength < raw.length) {
                return new Message.Batch(epoch, firstIndex, lastIndex, entries.size(), true, raw.length,
                        Arrays.copyOf(compressed, compressedLength));
            }
        }
        return new Message.Batch(epoch, firstIndex, lastIndex, entries.size(), false, raw.length, raw);
    }

    /**
     * Decodes and validates a received batch. Never throws anything but {@link MalformedBatchException}
     * for bad content (and {@link NullPointerException} for a null batch).
     *
     * @return the entries, with Raft index and term 0
     */
    public List<WalEntry> decode(Message.Batch batch) throws MalformedBatchException {
        validateHeader(batch);
        final byte[] raw = batch.compressed() ? decompress(batch) : batch.entries();
        if (!batch.compressed() && raw.length != batch.uncompressedLength()) {
            throw new MalformedBatchException("uncompressed batch of " + raw.length
                    + " bytes declares uncompressedLength " + batch.uncompressedLength());
        }
        return parse(batch, raw);
    }

    private void validateHeader(Message.Batch batch) throws MalformedBatchException {
        if (batch.entries() == null) {
            throw new MalformedBatchException("batch has no entries bytes");
        }
        if (batch.firstIndex() < 1) {
            throw new MalformedBatchException("firstIndex must be >= 1: " + batch.firstIndex());
        }
        if (batch.lastIndex() < batch.firstIndex()) {
            throw new MalformedBatchException("lastIndex " + batch.lastIndex() + " < firstIndex " + batch.firstIndex());
        }
        if (batch.entryCount() < 1 || batch.lastIndex() - batch.firstIndex() + 1 != batch.entryCount()) {
            throw new MalformedBatchException("entryCount " + batch.entryCount() + " does not match range "
                    + batch.firstIndex() + ".." + batch.lastIndex());
        }
        if (batch.uncompressedLength() < 0 || batch.uncompressedLength() > maxDecodedLength) {
            throw new MalformedBatchException("uncompressedLength " + batch.uncompressedLength()
                    + " outside 0.." + maxDecodedLength);
        }
        if ((long) batch.entryCount() * ENTRY_HEADER_LENGTH > batch.uncompressedLength()) {
            throw new MalformedBatchException(batch.entryCount() + " entries cannot fit in "
                    + batch.uncompressedLength() + " bytes");
        }
    }

    private byte[] decompress(Message.Batch batch) throws MalformedBatchException {
        final byte[] src = batch.entries();
        if ((long) src.length * MAX_LZ4_RATIO < batch.uncompressedLength()) {
            throw new MalformedBatchException("compressed length " + src.length
                    + " cannot expand to " + batch.uncompressedLength());
        }
        final byte[] raw = new byte[batch.uncompressedLength()];
        final int decoded;
        try {
            decoded = decompressor.decompress(src, 0, src.length, raw, 0, raw.length);
        } catch (RuntimeException e) {
            // LZ4Exception normally; anything else from a corrupt block is still a corrupt block.
            throw new MalformedBatchException("corrupt LZ4 block: " + e.getMessage(), e);
        }
        if (decoded != raw.length) {
            throw new MalformedBatchException("LZ4 block decoded to " + decoded + " bytes, expected " + raw.length);
        }
        return raw;
    }

    private static List<WalEntry> parse(Message.Batch batch, byte[] raw) throws MalformedBatchException {
        final ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        final List<WalEntry> entries = new ArrayList<>(batch.entryCount());
        String previousOrigin = null;
        byte[] previousOriginBytes = null;
        for (int i = 0; i < batch.entryCount(); i++) {
            final long expectedIndex = batch.firstIndex() + i;
            require(buffer, ENTRY_HEADER_LENGTH - 4, expectedIndex, "header");
            final long index = buffer.getLong();
            if (index != expectedIndex) {
                throw new MalformedBatchException("entry at position " + i + " has index " + index
                        + ", expected " + expectedIndex);
            }
            final long epoch = buffer.getLong();
            final long timestampMillis = buffer.getLong();
            final byte type = buffer.get();
            if (type != WalEntry.TYPE_DATA && type != WalEntry.TYPE_CONTROL && type != WalEntry.TYPE_SESSION_DATA) {
                throw new MalformedBatchException("entry " + index + " has unknown type " + type);
            }
            final int originLength = Short.toUnsignedInt(buffer.getShort());
            require(buffer, originLength + 4L, index, "origin");
            final byte[] originBytes = new byte[originLength];
            buffer.get(originBytes);
            // Consecutive entries nearly always share an origin: reuse the String rather than decode again.
            if (!Arrays.equals(originBytes, previousOriginBytes)) {
                previousOrigin = decodeUtf8(originBytes, index);
                previousOriginBytes = originBytes;
            }
            final int payloadLength = buffer.getInt();
            if (payloadLength < 0) {
                throw new MalformedBatchException("entry " + index + " has negative payload length " + payloadLength);
            }
            require(buffer, payloadLength, index, "payload");
            final byte[] payload = new byte[payloadLength];
            buffer.get(payload);
            try {
                entries.add(new WalEntry(index, 0, 0, epoch, previousOrigin, timestampMillis, type, payload));
            } catch (IllegalArgumentException e) {
                throw new MalformedBatchException("entry " + index + ": " + e.getMessage());
            }
        }
        if (buffer.hasRemaining()) {
            throw new MalformedBatchException(buffer.remaining() + " trailing bytes after " + batch.entryCount()
                    + " entries");
        }
        return entries;
    }

    private static void require(ByteBuffer buffer, long length, long index, String what)
            throws MalformedBatchException {
        if (buffer.remaining() < length) {
            throw new MalformedBatchException("entry " + index + " truncated in " + what + ": needs " + length
                    + " bytes, " + buffer.remaining() + " left");
        }
    }

    private static String decodeUtf8(byte[] bytes, long index) throws MalformedBatchException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedBatchException("entry " + index + " has an origin region that is not UTF-8", e);
        }
    }

    private static byte[] originBytes(String origin) {
        final byte[] bytes = origin.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_ORIGIN_LENGTH) {
            throw new IllegalArgumentException("originRegion longer than " + MAX_ORIGIN_LENGTH + " bytes");
        }
        return bytes;
    }

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
