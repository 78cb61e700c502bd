package io.meridian.sim.run;

import io.meridian.Position;
import io.meridian.Replicator;
import io.meridian.sim.check.OpLog;
import io.meridian.sim.check.StaleRead;
import io.meridian.sim.check.linear.Op;
import io.meridian.sim.check.linear.SecondaryRead;
import io.meridian.sim.check.linear.ValueFormat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The workload's reads, recorded in the {@link OpLog}: linearizable reads ({@link Replicator#read})
 * on the leaders the workload believes primary — deposed ones included, so fencing of reads is
 * attacked like fencing of writes — and local reads ({@link Replicator#readStale}) on secondary nodes.
 */
final class ReadClient {

    /** A stale read waits at most this long for the node's applied position to cover the value read. */
    private static final long POSITION_WAIT_NANOS = 2_000_000;

    private final RunClock clock;
    private final OpLog log;

    ReadClient(RunClock clock, OpLog log) {
        this.clock = clock;
        this.log = log;
    }

    /** Issues a linearizable read of {@code key}; the future completes (never exceptionally) once recorded. */
    CompletableFuture<Void> linearizable(SimNode target, long id, String key) {
        long invoked = clock.elapsedNanos();
        return target.read(key).handle((value, error) -> {
            long completed = clock.elapsedNanos();
            Op.Outcome outcome = error == null ? Op.Outcome.OK : Outcomes.of(error);
            log.primary(Op.read(id, "lin@" + target.nodeId(), key, error == null ? canonical(value) : null, invoked,
                    completed, outcome, target.region()));
            return null;
        });
    }

    /**
     * Reads {@code key} locally on a secondary node, bracketed by the applied index (KvStateMachine
     * publishes lastIndex before applying the entry, hence {@code before = lastIndex - 1}) and by the
     * node's applied positions, which say whether its state was a prefix of the final log.
     */
    void stale(SimNode replica, long id, String key) {
        // Only in-JVM replicas are offered (Cluster#readableReplicas): the brackets need the state machine.
        JvmNode node = (JvmNode) replica;
        Replicator r = node.replicator();
        long invoked = clock.elapsedNanos();
        StaleRead read = r.readStale(() -> {
            Position from = r.appliedPosition();
            long before = Math.max(0, node.kv().lastIndex() - 1);
            byte[] value = node.kv().get(key);
            long after = node.kv().lastIndex();
            Position to = positionCovering(r, after);
            Op op = Op.read(id, "stale", key, canonical(value), invoked, clock.elapsedNanos(), Op.Outcome.OK,
                    node.session());
            return new StaleRead(new SecondaryRead(op, before, after), from.epoch(), from.index(), to.epoch(),
                    to.index());
        });
        log.stale(read);
    }

    /**
     * The node's applied position once it reaches {@code index}: the region state machine updates
     * it just after the user state machine applied the entry, so it can trail the value by one entry
     * for a few microseconds. Gives up after a bound and returns what it has.
     */
    private static Position positionCovering(Replicator r, long index) {
        long deadline = System.nanoTime() + POSITION_WAIT_NANOS;
        Position p = r.appliedPosition();
        while (p.index() < index && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            p = r.appliedPosition();
        }
        return p;
    }

    /**
     * Values compared by the checks: "w<id>:" for workload values (the padding after it carries no
     * information), the raw bytes (Latin-1, lossless) for anything else so a foreign value never
     * matches a write.
     */
    static String canonical(byte[] value) {
        if (value == null) {
            return null;
        }
        String s = new String(value, StandardCharsets.ISO_8859_1);
        long id = ValueFormat.writeIdOf(s);
        return id >= 0 ? ValueFormat.of(id) : s;
    }
}
