package io.meridian.xregion;

import io.meridian.wal.WalEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * Adaptive batching of consecutive WAL entries: a batch closes when it holds
 * {@link ShippingConfig#maxBatchEntries()} entries or {@link ShippingConfig#maxBatchBytes()} encoded
 * bytes, or when its oldest entry has lingered {@link ShippingConfig#lingerNanos()}. Under load
 * batches fill by size; when idle an entry waits at most the linger, so latency stays bounded.
 *
 * <p>Pure and single-threaded: time is passed in, nothing blocks.
 */
public final class BatchAccumulator {

    private final int maxEntries;
    private final long maxBytes;
    private final long lingerNanos;
    private final ArrayList<WalEntry> entries;
    private long bytes;
    private long oldestAddedNanos;

    public BatchAccumulator(ShippingConfig config) {
        config.conclude();
        this.maxEntries = config.maxBatchEntries();
        this.maxBytes = config.maxBatchBytes();
        this.lingerNanos = config.lingerNanos();
        this.entries = new ArrayList<>(Math.min(maxEntries, 1024));
    }

    /**
     * Adds the next entry if it fits.
     *
     * @param entry       must directly follow the last accumulated entry (index + 1)
     * @param encodedSize the entry's {@link BatchCodec#encodedSize encoded size}
     * @return false, leaving the batch unchanged, when the batch is non-empty and the entry would push
     *         it past the entry or byte limit: drain first, then add it again. An empty batch accepts
     *         any entry, so an entry larger than maxBatchBytes forms a batch of its own.
     * @throws IllegalArgumentException if the entry does not follow the previous one
     */
    public boolean add(WalEntry entry, int encodedSize, long nowNanos) {
        if (encodedSize < 0) {
            throw new IllegalArgumentException("encodedSize must be >= 0: " + encodedSize);
        }
        if (entries.isEmpty()) {
            oldestAddedNanos = nowNanos;
        } else {
            final long expected = lastIndex() + 1;
            if (entry.index() != expected) {
                // Batches travel as index ranges; a hole here would be shipped as a lie.
                throw new IllegalArgumentException("entry " + entry.index() + " does not follow " + lastIndex());
            }
            if (entries.size() >= maxEntries || bytes + encodedSize > maxBytes) {
                return false;
            }
        }
        entries.add(entry);
        bytes += encodedSize;
        return true;
    }

    /** True when the batch is full by count or bytes, or its oldest entry has waited out the linger. */
    public boolean shouldClose(long nowNanos) {
        if (entries.isEmpty()) {
            return false;
        }
        return entries.size() >= maxEntries || bytes >= maxBytes || nowNanos - oldestAddedNanos >= lingerNanos;
    }

    /** When the linger will close the current batch, or {@link Long#MAX_VALUE} if it is empty (for idle waits). */
    public long lingerDeadlineNanos() {
        return entries.isEmpty() ? Long.MAX_VALUE : oldestAddedNanos + lingerNanos;
    }

    /** Hands over the accumulated entries (a fresh list the caller owns) and starts an empty batch. */
    public List<WalEntry> drain() {
        final List<WalEntry> batch = new ArrayList<>(entries);
        clear();
        return batch;
    }

    /** Discards the accumulated entries, e.g. after the tailer was sought elsewhere. */
    public void clear() {
        entries.clear();
        bytes = 0;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** Sum of the encoded sizes of the accumulated entries. */
    public long bytes() {
        return bytes;
    }

    /** Index of the first accumulated entry, or 0 when empty. */
    public long firstIndex() {
        return entries.isEmpty() ? 0 : entries.get(0).index();
    }

    /** Index of the last accumulated entry, or 0 when empty. */
    public long lastIndex() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).index();
    }
}
