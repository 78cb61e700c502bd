package io.meridian.xregion;

import io.meridian.transport.Message;
import io.meridian.wal.MalformedEntryException;
import io.meridian.wal.ShippedEntryFormat;
import io.meridian.wal.WalEntry;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes runs of consecutive WAL entries into the {@code entries} bytes of a {@link Message.Batch}
 * and back. Thread-safe (stateless; the LZ4 instances are too).
 *
 * <p>The run is the entries one after the other, each in {@link ShippedEntryFormat} (the one
 * definition of an entry's region-independent form), with no padding. The index is repeated per
 * entry, although the batch carries the range, so that a decoder detects a corrupted or mis-framed
 * batch instead of silently shifting entries. Raft index and term are not shipped: they are local to
 * a region, and decoded entries carry 0 for both.
 *
 * <p>The whole run is LZ4-compressed when larger than the threshold and compression actually helps.
 * Decoding uses the pure-Java safe decompressor into a fresh array: the input is remote, and the
 * native and unsafe decompressors of lz4-java 1.8.0 do not bound-check malformed input
 * (CVE-2025-12183).
 */
public final class BatchCodec {

    /** Default bound on a batch's decoded size, so a hostile length cannot make us allocate gigabytes. */
    public static final int DEFAULT_MAX_DECODED_LENGTH = 64 * 1024 * 1024;

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
        return ShippedEntryFormat.size(entry);
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
        for (int i = 0; i < entries.size(); i++) {
            final WalEntry entry = entries.get(i);
            if (entry.index() != firstIndex + i) {
                throw new IllegalArgumentException("entry " + entry.index() + " at position " + i
                        + " does not follow " + (firstIndex + i - 1));
            }
            length += ShippedEntryFormat.size(entry);
        }
        if (length > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("batch too large to encode: " + length + " bytes");
        }
        final ByteBuffer buffer = ByteBuffer.allocate((int) length);
        for (final WalEntry entry : entries) {
            ShippedEntryFormat.put(buffer, entry);
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
        if ((long) batch.entryCount() * ShippedEntryFormat.HEADER_LENGTH > batch.uncompressedLength()) {
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
        final ByteBuffer buffer = ByteBuffer.wrap(raw);
        final ShippedEntryFormat.Reader reader = new ShippedEntryFormat.Reader();
        final List<WalEntry> entries = new ArrayList<>(batch.entryCount());
        for (int i = 0; i < batch.entryCount(); i++) {
            final long expectedIndex = batch.firstIndex() + i;
            final WalEntry entry;
            try {
                entry = reader.get(buffer);
            } catch (MalformedEntryException e) {
                throw new MalformedBatchException("entry at position " + i + ": " + e.getMessage(), e);
            }
            if (entry.index() != expectedIndex) {
                throw new MalformedBatchException("entry at position " + i + " has index " + entry.index()
                        + ", expected " + expectedIndex);
            }
            entries.add(entry);
        }
        if (buffer.hasRemaining()) {
            throw new MalformedBatchException(buffer.remaining() + " trailing bytes after " + batch.entryCount()
                    + " entries");
        }
        return entries;
    }
}
