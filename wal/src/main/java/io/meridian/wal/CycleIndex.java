package io.meridian.wal;

import java.io.File;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import net.openhft.chronicle.queue.RollCycle;

/**
 * Maps the dense cluster-log index onto Chronicle's (cycle, sequence) index.
 *
 * <p>Chronicle numbers excerpts densely within a roll cycle, and the WAL appends cluster-log entries
 * densely, so remembering the first cluster index of every non-empty cycle is enough to locate any
 * entry. Safe for one appending thread, one releasing thread and any number of looking-up threads.
 */
final class CycleIndex {

    /** One non-empty roll cycle: its Chronicle cycle number, first cluster index and file. */
    record Cycle(int cycle, long firstIndex, File file) {
    }

    private final RollCycle rollCycle;
    private final ConcurrentSkipListMap<Long, Cycle> byFirstIndex = new ConcurrentSkipListMap<>();

    CycleIndex(RollCycle rollCycle) {
        this.rollCycle = rollCycle;
    }

    void add(Cycle cycle) {
        Map.Entry<Long, Cycle> last = byFirstIndex.lastEntry();
        if (last != null && (last.getKey() >= cycle.firstIndex() || last.getValue().cycle() >= cycle.cycle())) {
            throw new IllegalStateException("cycle " + cycle + " does not follow " + last.getValue());
        }
        byFirstIndex.put(cycle.firstIndex(), cycle);
    }

    /**
     * Records that cluster index {@code index} was written at Chronicle index {@code chronicleIndex},
     * opening a new cycle when the write rolled.
     *
     * @throws WalCorruptionException if Chronicle placed it where the dense numbering says it cannot be
     */
    void recordAppend(long index, long chronicleIndex, java.util.function.Supplier<File> file) {
        int cycle = rollCycle.toCycle(chronicleIndex);
        long sequence = rollCycle.toSequenceNumber(chronicleIndex);
        Cycle last = last();
        if (last != null && last.cycle() == cycle) {
            if (last.firstIndex() + sequence != index) {
                throw new WalCorruptionException("entry " + index + " landed at sequence " + sequence
                        + " of cycle " + cycle + " which starts at " + last.firstIndex());
            }
            return;
        }
        if (sequence != 0) {
            throw new WalCorruptionException("entry " + index + " opened cycle " + cycle
                    + " at sequence " + sequence + " instead of 0");
        }
        add(new Cycle(cycle, index, file.get()));
    }

    /** Chronicle index of cluster index {@code index}, or -1 when no held cycle covers it. */
    long chronicleIndexOf(long index) {
        Map.Entry<Long, Cycle> holder = byFirstIndex.floorEntry(index);
        if (holder == null) {
            return -1;
        }
        return rollCycle.toIndex(holder.getValue().cycle(), index - holder.getKey());
    }

    Cycle first() {
        Map.Entry<Long, Cycle> e = byFirstIndex.firstEntry();
        return e == null ? null : e.getValue();
    }

    Cycle last() {
        Map.Entry<Long, Cycle> e = byFirstIndex.lastEntry();
        return e == null ? null : e.getValue();
    }

    /** The cycle after {@code cycle}, or null when it is the last one. */
    Cycle after(Cycle cycle) {
        Map.Entry<Long, Cycle> e = byFirstIndex.higherEntry(cycle.firstIndex());
        return e == null ? null : e.getValue();
    }

    void remove(Cycle cycle) {
        byFirstIndex.remove(cycle.firstIndex(), cycle);
    }

    boolean isEmpty() {
        return byFirstIndex.isEmpty();
    }
}
