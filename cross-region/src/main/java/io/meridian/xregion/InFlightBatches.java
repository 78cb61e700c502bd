package io.meridian.xregion;

/**
 * Bookkeeping of sent, unacknowledged batches: a fixed ring of primitives, so the window's memory is
 * bounded by the configured maximum whatever the remote does. Batches are contiguous and in index
 * order, so each is identified by its last index alone.
 */
final class InFlightBatches {

    private final long[] lastIndexes;
    private final int[] bytes;
    private final long[] sentNanos;
    private int head;
    private int size;
    private long totalBytes;

    InFlightBatches(int capacity) {
        lastIndexes = new long[capacity];
        bytes = new int[capacity];
        sentNanos = new long[capacity];
    }

    boolean isFull() {
        return size == lastIndexes.length;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    long totalBytes() {
        return totalBytes;
    }

    void add(long lastIndex, int batchBytes, long nowNanos) {
        if (isFull()) {
            throw new IllegalStateException("in-flight window full (" + size + " batches)");
        }
        final int slot = (head + size) % lastIndexes.length;
        lastIndexes[slot] = lastIndex;
        bytes[slot] = batchBytes;
        sentNanos[slot] = nowNanos;
        size++;
        totalBytes += batchBytes;
    }

    /** Forgets every batch wholly covered by {@code ackedIndex}; a partly acked batch stays. */
    void releaseUpTo(long ackedIndex) {
        while (size > 0 && lastIndexes[head] <= ackedIndex) {
            totalBytes -= bytes[head];
            head = (head + 1) % lastIndexes.length;
            size--;
        }
    }

    /** Send time of the oldest unacknowledged batch; only meaningful when not empty. */
    long oldestSentNanos() {
        return sentNanos[head];
    }

    void clear() {
        head = 0;
        size = 0;
        totalBytes = 0;
    }
}
