package io.meridian.wal;

import java.nio.file.Path;
import java.util.List;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * One open Chronicle queue generation: its appender, a shared lookup tailer and the {@link CycleIndex}
 * recovered from the files on open.
 *
 * <p>Chronicle's appenders and tailers refuse use from a second thread by default; the WAL serialises
 * access with its own locks instead, so those checks are switched off here.
 */
final class QueueSession implements AutoCloseable {

    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final ExcerptTailer lookup;
    private final CycleIndex cycles;
    private final long lastIndex;

    private QueueSession(SingleChronicleQueue queue, CycleIndex cycles, long lastIndex) {
        this.queue = queue;
        this.cycles = cycles;
        this.lastIndex = lastIndex;
        this.appender = queue.createAppender();
        this.appender.singleThreadedCheckDisabled(true);
        this.lookup = createTailer();
    }

    /**
     * Opens the queue in {@code dir} and rebuilds the cycle index from the first entry of every cycle.
     *
     * @param baseIndex the WAL's base; an empty queue reports it as its last index
     * @throws WalCorruptionException if the held entries are not one dense run starting after {@code baseIndex}
     */
    static QueueSession open(Path dir, WalConfig config, long baseIndex) {
        SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(config.rollCycle())
                .timeProvider(config.timeProvider())
                .syncMode(config.syncMode())
                .build();
        try {
            // Chronicle keeps the roll cycle a queue was created with; index arithmetic must use that one.
            CycleIndex cycles = new CycleIndex(queue.rollCycle());
            long last = recover(queue, cycles, baseIndex);
            return new QueueSession(queue, cycles, last);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    private static long recover(SingleChronicleQueue queue, CycleIndex cycles, long baseIndex) {
        long expectedNext = -1;
        try (ExcerptTailer scan = queue.createTailer()) {
            int firstCycle = queue.firstCycle();
            int lastCycle = queue.lastCycle();
            Iterable<Long> held = firstCycle <= lastCycle ? queue.listCyclesBetween(firstCycle, lastCycle) : List.of();
            for (long heldCycle : held) {
                int cycle = (int) heldCycle;
                long count = scan.excerptsInCycle(cycle);
                // an empty cycle file is what a crash between file creation and the first write leaves
                if (count == 0 || !scan.moveToCycle(cycle)) {
                    continue;
                }
                long[] firstBounds = new long[2];
                WalEntry first = readNext(scan, firstBounds);
                if (first == null) {
                    throw new WalCorruptionException("cycle " + cycle + " claims " + count + " entries but has none");
                }
                if (expectedNext < 0 ? first.index() <= baseIndex : first.index() != expectedNext) {
                    throw new WalCorruptionException("cycle " + cycle + " starts at entry " + first.index()
                            + ", expected " + (expectedNext < 0 ? "> " + baseIndex : expectedNext));
                }
                java.io.File file = scan.currentFile();
                long[] lastBounds = new long[2];
                if (!scan.moveToIndex(queue.rollCycle().toIndex(cycle, count - 1)) || readNext(scan, lastBounds) == null) {
                    throw new WalCorruptionException("cycle " + cycle + " claims " + count + " entries but its last is missing");
                }
                cycles.add(new CycleIndex.Cycle(cycle, first.index(), file, firstBounds[0],
                        new java.util.concurrent.atomic.AtomicLong(lastBounds[1])));
                expectedNext = first.index() + count;
            }
            if (expectedNext < 0) {
                return baseIndex;
            }
            long last = expectedNext - 1;
            verifyPresent(scan, cycles, last);
            return last;
        }
    }

    private static void verifyPresent(ExcerptTailer tailer, CycleIndex cycles, long index) {
        WalEntry entry = tailer.moveToIndex(cycles.chronicleIndexOf(index)) ? readNext(tailer) : null;
        if (entry == null || entry.index() != index) {
            throw new WalCorruptionException("last entry " + index + " is not where the cycle index says");
        }
    }

    /** Reads and decodes the tailer's next excerpt, or returns null when there is none yet. */
    static WalEntry readNext(ExcerptTailer tailer) {
        return readNext(tailer, null);
    }

    /** As {@link #readNext(ExcerptTailer)}; fills {@code bounds} (if given) with the excerpt's file offsets. */
    static WalEntry readNext(ExcerptTailer tailer, long[] bounds) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return null;
            }
            Bytes<?> bytes = dc.wire().bytes();
            if (bounds != null) {
                bounds[0] = bytes.readPosition();
                bounds[1] = bytes.readLimit();
            }
            byte[] raw = new byte[(int) bytes.readRemaining()];
            bytes.read(raw);
            return EntryCodec.decode(raw);
        }
    }

    /** Last cluster index found when the session was opened. */
    long recoveredLastIndex() {
        return lastIndex;
    }

    CycleIndex cycles() {
        return cycles;
    }

    /** Writes one encoded entry; the caller is the only writer. */
    void write(long index, byte[] encoded) {
        write(index, encoded, encoded.length);
    }

    /** Writes the first {@code length} bytes of {@code encoded} as one entry; the caller is the only writer. */
    void write(long index, byte[] encoded, int length) {
        long start;
        long end;
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> bytes = dc.wire().bytes();
            start = bytes.writePosition();
            bytes.write(encoded, 0, length);
            end = bytes.writePosition();
        }
        cycles.recordAppend(index, appender.lastIndexAppended(), appender::currentFile, start, end);
    }

    /** The entry at {@code index} via the shared lookup tailer, or null if it is not in the queue. */
    WalEntry lookup(long index) {
        synchronized (lookup) {
            return moveTo(lookup, index) ? readNext(lookup) : null;
        }
    }

    /** Positions {@code tailer} so that its next excerpt is {@code index}; false if that cycle is gone. */
    boolean moveTo(ExcerptTailer tailer, long index) {
        long chronicleIndex = cycles.chronicleIndexOf(index);
        return chronicleIndex >= 0 && tailer.moveToIndex(chronicleIndex);
    }

    ExcerptTailer createTailer() {
        ExcerptTailer tailer = queue.createTailer();
        tailer.singleThreadedCheckDisabled(true);
        return tailer;
    }

    /** Wall-clock millis (of the configured clock) at which {@code cycle} stops taking writes. */
    long cycleEndMillis(int cycle) {
        RollCycle rollCycle = queue.rollCycle();
        return queue.epoch() + (cycle + 1L) * rollCycle.lengthInMillis();
    }

    /** Makes Chronicle forget deleted cycle files. */
    void refreshDirectoryListing() {
        queue.refreshDirectoryListing();
    }

    @Override
    public void close() {
        // closing the queue also closes every appender and tailer it created
        queue.close();
    }
}
