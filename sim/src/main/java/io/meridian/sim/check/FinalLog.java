package io.meridian.sim.check;

import io.meridian.kv.KvCommand;
import io.meridian.sim.check.linear.WriteOrder;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The final primary region's cluster log as ground truth for reads: which epoch each index belongs
 * to (so a replica's applied position can be tested for being a prefix of it) and at which index
 * each workload write landed ({@link WriteOrder}, for the secondary-read checks).
 *
 * <p>Built from every node of the region, entries merged by index: a node that installed an image
 * misses the start of the log, another may still hold it.
 */
public final class FinalLog {

    /** Index at which each run of equal epochs starts, to its epoch. */
    private final NavigableMap<Long, Long> epochFrom = new TreeMap<>();
    private final long firstIndex;
    private final long lastIndex;
    private final WriteOrder order;
    private final Set<Integer> writeIds = new HashSet<>();

    private FinalLog(TreeMap<Long, LogEntry> byIndex) {
        WriteOrder.Builder b = WriteOrder.builder();
        long previousEpoch = -1;
        for (LogEntry e : byIndex.values()) {
            if (e.epoch() != previousEpoch) {
                epochFrom.put(e.index(), e.epoch());
                previousEpoch = e.epoch();
            }
            int id = e.writeId();
            if (id >= 0) {
                writeIds.add(id);
                b.applied(KvCommand.decode(e.payload()).key(), id, e.index());
            }
        }
        this.firstIndex = byIndex.isEmpty() ? 1 : byIndex.firstKey();
        this.lastIndex = byIndex.isEmpty() ? 0 : byIndex.lastKey();
        this.order = b.build();
    }

    public static FinalLog of(RegionFinalState region) {
        TreeMap<Long, LogEntry> byIndex = new TreeMap<>();
        for (WalView node : region.nodes()) {
            for (LogEntry e : node.entries()) {
                byIndex.putIfAbsent(e.index(), e);
            }
        }
        return new FinalLog(byIndex);
    }

    /** The region named {@code region} among {@code regions}. */
    public static FinalLog of(Iterable<RegionFinalState> regions, String region) {
        for (RegionFinalState r : regions) {
            if (r.region().equals(region)) {
                return of(r);
            }
        }
        throw new IllegalArgumentException("no final state for region " + region);
    }

    /**
     * True when a replica whose last applied entry is {@code (epoch, index)} holds a prefix of this
     * log: the entries at that index agree (epochs change at the same index in every region, so
     * agreeing there means agreeing on everything before). Index 0 (nothing applied) and indexes
     * below this log's first retained entry cannot be contradicted and count as a prefix.
     */
    public boolean isPrefix(long epoch, long index) {
        if (index <= 0 || index < firstIndex) {
            return true;
        }
        if (index > lastIndex) {
            return false;
        }
        Map.Entry<Long, Long> run = epochFrom.floorEntry(index);
        return run != null && run.getValue() == epoch;
    }

    public WriteOrder order() {
        return order;
    }

    public boolean holdsWrite(int writeId) {
        return writeIds.contains(writeId);
    }

    public long lastIndex() {
        return lastIndex;
    }
}
