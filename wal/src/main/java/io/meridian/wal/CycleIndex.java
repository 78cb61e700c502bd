package io.meridian.wal;

import java.io.File;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import net.openhft.chronicle.queue.RollCycle;

/**
 * Maps the dense cluster-log index onto Chronicle's (cycle, sequence) index.
 *
 * <p>Chronicle numbers excerpts densely within a roll cycle, and the WAL appends cluster-log entries
 * densely, so remembering the first cluster index of every non-empty cycle is enough to locate any
 * entry. Safe for one appending thread, one releasing thread and any number of looking-up threads.
 */
final class CycleIndex {

    /**
     * One non-empty roll cycle: its Chronicle cycle number, first cluster index and file, and where its
     * data starts and (so far) ends in that file. The offsets measure what the cycle holds: a cycle
     * file's length says nothing (Chronicle maps it in large sparse chunks), and Java cannot ask for
     * the blocks a file occupies.
     */
    record Cycle(int cycle, long firstIndex, File file, long startOffset, AtomicLong endOffset) {
        Cycle(int cycle, long firstIndex, File file) {
            this(cycle, firstIndex, file, 0, new AtomicLong());
        }

        /** Bytes of excerpts (headers, entries and the index slots between them) this cycle holds. */
        long bytes() {
            return Math.max(0, endOffset.get() - startOffset);
        }
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
    void recordAppend(long index, long chronicleIndex, java.util.function.Supplier<File> file, long startOffset,
                      long endOffset) {
        int cycle = rollCycle.toCycle(chronicleIndex);
        long sequence = rollCycle.toSequenceNumber(chronicleIndex);
        Cycle last = last();
        if (last != null && last.cycle() == cycle) {
            if (last.firstIndex() + sequence != index) {
                throw new WalCorruptionException("entry " + index + " landed at sequence " + sequence
                        + " of cycle " + cycle + " which starts at " + last.firstIndex());
            }
            last.endOffset().set(endOffset);
            return;
        }
        if (sequence != 0) {
            throw new WalCorruptionException("entry " + index + " opened cycle " + cycle
                    + " at sequence " + sequence + " instead of 0");
        }
        add(new Cycle(cycle, index, file.get(), startOffset, new AtomicLong(endOffset)));
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

    /** Bytes held by all cycles (see {@link Cycle#bytes()}). */
    long totalBytes() {
        long total = 0;
        for (Cycle c : byFirstIndex.values()) {
            total += c.bytes();
        }
        return total;
    }

    boolean isEmpty() {
        return byFirstIndex.isEmpty();
    }
}
