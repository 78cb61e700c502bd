package io.meridian.sim.check;

import io.meridian.sim.check.linear.LinearChecker;
import io.meridian.sim.check.linear.LinearOptions;
import io.meridian.sim.check.linear.LinearResult;
import io.meridian.sim.check.linear.Op;
import io.meridian.sim.check.linear.SecondaryRead;
import io.meridian.sim.check.linear.SecondaryReadChecker;
import io.meridian.sim.check.linear.SecondaryResult;
import io.meridian.sim.check.linear.ValueFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The client-visible consistency checks of a run: linearizability of the primary path (writes and
 * {@code Replicator.read}) and the guarantees of stale reads on secondaries.
 *
 * <p>A promotion with {@code allowDataLoss} discards the old primary's divergent tail on purpose, so
 * the raw history cannot be linearizable: an acknowledged write vanishes. The run checker already
 * holds that loss to account (every lost acknowledged write must be in the exported tail). Here,
 * writes whose entries were discarded become UNKNOWN (they may never have taken effect), and reads
 * that returned a discarded write are taken out of the linearizability check and judged on their
 * own: such a read is only legitimate if it began before any newer epoch acknowledged a write
 * (otherwise a deposed primary served it after its successor had started: a fencing failure).
 *
 * <p>Stale reads on a replica that held a since-discarded tail at the time (its applied position is
 * not a prefix of the final log) legitimately show discarded writes and go back in time when the
 * tail is rewound; they are counted and left out of the secondary-read checks. Pure.
 */
public final class ReadChecks {

    /**
     * Search budget over all keys: a linearizable run needs about four steps per op, so this bounds
     * the check to well under a minute while leaving room for millions of ops.
     */
    public static final long MAX_TOTAL_STEPS = 20_000_000;

    private ReadChecks() {
    }

    /**
     * @param primaryOps         writes (every outcome) and linearizable reads
     * @param staleReads         local reads on secondaries
     * @param finalLog           the final primary's log
     * @param discardedEpochs    write id to the epoch of its entry in an exported divergent tail
     * @param firstAckMsByEpoch  epoch to the run time (ms) of its first acknowledged write
     * @param nanosPerMs         op times are nanoseconds since the run start; ack times milliseconds
     */
    public static ReadCheckResult check(List<Op> primaryOps, List<StaleRead> staleReads, FinalLog finalLog,
                                        Map<Long, Long> discardedEpochs, NavigableMap<Long, Long> firstAckMsByEpoch,
                                        long nanosPerMs) {
        List<Op> linear = new ArrayList<>(primaryOps.size());
        List<String> violations = new ArrayList<>();
        long discardedReads = 0;
        long reads = 0;
        long writes = 0;
        for (Op op : primaryOps) {
            if (op.isWrite()) {
                writes++;
                Long epoch = discardedEpochs.get(ValueFormat.writeIdOf(op.value()));
                linear.add(epoch != null && op.outcome() == Op.Outcome.OK ? unknown(op) : op);
                continue;
            }
            reads++;
            Long epoch = op.outcome() == Op.Outcome.OK ? discardedEpochs.get(ValueFormat.writeIdOf(op.value())) : null;
            if (epoch == null) {
                linear.add(op);
                continue;
            }
            discardedReads++;
            Map.Entry<Long, Long> newer = earliestAbove(firstAckMsByEpoch, epoch);
            long invokedMs = op.invokeNanos() / nanosPerMs;
            if (newer != null && invokedMs > newer.getValue() && violations.size() < 50) {
                violations.add("DISCARDED_WRITE_READ: read #" + op.id() + " of " + op.key() + " on " + op.region()
                        + " invoked at t=" + invokedMs + "ms returned " + op.value() + " from epoch " + epoch
                        + ", discarded later, although epoch " + newer.getKey() + " had acknowledged a write at t="
                        + newer.getValue() + "ms");
            }
        }
        LinearResult linearResult = LinearChecker.check(linear, LinearOptions.defaults(), MAX_TOTAL_STEPS);

        List<SecondaryRead> judged = new ArrayList<>(staleReads.size());
        long divergentReplicaReads = 0;
        for (StaleRead r : staleReads) {
            if (finalLog.isPrefix(r.epochBefore(), r.indexBefore()) && finalLog.isPrefix(r.epochAfter(), r.indexAfter())) {
                judged.add(r.read());
            } else {
                divergentReplicaReads++;
            }
        }
        SecondaryResult secondary = SecondaryReadChecker.check(judged, finalLog.order());
        return new ReadCheckResult(linearResult, writes, reads, discardedReads, violations, secondary,
                staleReads.size(), divergentReplicaReads);
    }

    private static Op unknown(Op op) {
        return new Op(op.id(), op.client(), op.key(), op.kind(), op.value(), op.invokeNanos(), op.completeNanos(),
                Op.Outcome.UNKNOWN, op.region());
    }

    /** The epoch above {@code epoch} whose first acknowledgement came earliest, or null. */
    private static Map.Entry<Long, Long> earliestAbove(NavigableMap<Long, Long> firstAckMsByEpoch, long epoch) {
        Map.Entry<Long, Long> best = null;
        for (Map.Entry<Long, Long> e : firstAckMsByEpoch.tailMap(epoch, false).entrySet()) {
            if (best == null || e.getValue() < best.getValue()) {
                best = e;
            }
        }
        return best;
    }
}
