package io.meridian.sim.check;

import io.meridian.sim.check.linear.Op;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every client operation of a run in the form the consistency checks read: writes and linearizable
 * reads (the primary path, checked for linearizability) and stale reads on secondaries (checked for
 * monotonicity and prefix visibility). Appended from Meridian's completion threads; thread-safe.
 */
public final class OpLog {

    private final Queue<Op> primary = new ConcurrentLinkedQueue<>();
    private final Queue<StaleRead> stale = new ConcurrentLinkedQueue<>();

    /** A write (any outcome) or a linearizable read. */
    public void primary(Op op) {
        primary.add(op);
    }

    public void stale(StaleRead read) {
        stale.add(read);
    }

    /** Primary-path ops ordered by id. */
    public List<Op> primaryOps() {
        List<Op> ops = new ArrayList<>(primary);
        ops.sort(Comparator.comparingLong(Op::id));
        return ops;
    }

    /** Stale reads ordered by id (the order one client issued them in). */
    public List<StaleRead> staleReads() {
        List<StaleRead> reads = new ArrayList<>(stale);
        reads.sort(Comparator.comparingLong(r -> r.read().op().id()));
        return reads;
    }
}
