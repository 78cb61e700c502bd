package io.meridian.sim.check.linear;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each write landed in the cluster log: the ground-truth order the secondary-read checks
 * measure reads against. Index N is the same entry in every region, so "newer" simply means "at a
 * higher index".
 *
 * <p>Build it from the final primary's log after the run (every applied write, including those whose
 * outcome the client never learnt), e.g. from {@code LogEntry#writeId()} and {@code #index()}
 * plus the key each write id was issued for. Acknowledged positions alone miss applied unknown
 * writes, and positions from a log that lost its tail in a promotion may name writes no region
 * kept: both would make correct reads look wrong.
 */
public final class WriteOrder {

    /** {@link #indexOf} for a read that found the key absent: before every write. */
    public static final long ABSENT_INDEX = 0;
    /** {@link #indexOf} for a value whose write is not in the log (or that is not in {@link ValueFormat}). */
    public static final long UNKNOWN = -1;

    private record Placed(String key, long index) { }

    private final Map<Long, Placed> byWriteId;
    /** Per key, the indexes of its writes, ascending. */
    private final Map<String, long[]> indexesByKey;

    private WriteOrder(Map<Long, Placed> byWriteId, Map<String, long[]> indexesByKey) {
        this.byWriteId = byWriteId;
        this.indexesByKey = indexesByKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The log index of the write whose value a read of {@code key} returned: {@link #ABSENT_INDEX}
     * for null, {@link #UNKNOWN} when the value names no write of this key in the log.
     */
    public long indexOf(String key, String value) {
        if (value == null) {
            return ABSENT_INDEX;
        }
        Placed p = byWriteId.get(ValueFormat.writeIdOf(value));
        return p != null && p.key().equals(key) ? p.index() : UNKNOWN;
    }

    /** The lowest index in {@code (after, upTo]} holding a write of {@code key}, or -1 if none. */
    public long firstWriteBetween(String key, long after, long upTo) {
        long[] indexes = indexesByKey.get(key);
        if (indexes == null || upTo <= after) {
            return -1;
        }
        int i = Arrays.binarySearch(indexes, after + 1);
        int at = i >= 0 ? i : -i - 1;
        return at < indexes.length && indexes[at] <= upTo ? indexes[at] : -1;
    }

    /** Number of writes placed. */
    public int size() {
        return byWriteId.size();
    }

    public static final class Builder {
        private final Map<Long, Placed> byWriteId = new HashMap<>();

        /**
         * Records that write {@code writeId} (see {@link ValueFormat}) of {@code key} is at log index
         * {@code index} (positive). A write id seen twice keeps its lowest index: the first apply is
         * the one that made the value visible (duplicates are the run checker's business).
         */
        public Builder applied(String key, long writeId, long index) {
            if (index <= ABSENT_INDEX) {
                throw new IllegalArgumentException("log indexes start at 1: " + index);
            }
            byWriteId.merge(writeId, new Placed(key, index), (a, b) -> a.index() <= b.index() ? a : b);
            return this;
        }

        public WriteOrder build() {
            Map<String, TreeMap<Long, Boolean>> sorted = new HashMap<>();
            byWriteId.values().forEach(p -> sorted.computeIfAbsent(p.key(), k -> new TreeMap<>()).put(p.index(), true));
            Map<String, long[]> indexes = new HashMap<>();
            sorted.forEach((key, set) -> indexes.put(key, set.keySet().stream().mapToLong(Long::longValue).toArray()));
            return new WriteOrder(new HashMap<>(byWriteId), indexes);
        }
    }
}
