package io.meridian.sim.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every write of a run, appended by the workload threads as outcomes become known. Thread-safe.
 */
public final class History {

    private final Queue<WriteRecord> records = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    /** A fresh write id (1, 2, ...), unique within this history. */
    public int nextId() {
        return nextId.getAndIncrement();
    }

    public void add(WriteRecord record) {
        records.add(record);
    }

    /** All records, ordered by write id. */
    public List<WriteRecord> all() {
        List<WriteRecord> all = new ArrayList<>(records);
        all.sort(Comparator.comparingInt(WriteRecord::id));
        return all;
    }

    /** ACKED records, ordered by write id. */
    public List<WriteRecord> acked() {
        List<WriteRecord> acked = new ArrayList<>();
        for (WriteRecord r : all()) {
            if (r.isAcked()) {
                acked.add(r);
            }
        }
        return acked;
    }

    public Counts counts() {
        long acked = 0;
        long failed = 0;
        long unknown = 0;
        for (WriteRecord r : records) {
            switch (r.status()) {
                case ACKED -> acked++;
                case FAILED -> failed++;
                case UNKNOWN -> unknown++;
                default -> throw new IllegalStateException("unexpected status " + r.status());
            }
        }
        return new Counts(acked + failed + unknown, acked, failed, unknown);
    }

    /** How many writes ended which way; {@code attempted} is their sum. */
    public record Counts(long attempted, long acked, long failed, long unknown) { }
}
