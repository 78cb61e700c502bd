package io.meridian.failover;

import java.util.List;

/**
 * One planned hand-over from this (primary) region to {@code target}: drain writes, wait until the
 * target holds everything up to the final drain index, then propose the next epoch with that index as
 * its basis so nothing is lost.
 *
 * <p>The epoch is only proposed once the host confirmed the final drain index through
 * {@link #onDrainIndex}: before that, writes admitted earlier may still commit above the index first
 * given, and proposing early would turn them into a divergent tail.
 */
final class SwitchoverProcess {

    enum Phase { DRAINING, PROPOSED }

    private final String target;
    private final long epoch;
    private final long startedNanos;
    private final long deadlineNanos;
    private long drainIndex;
    private boolean drainFinal;
    private long targetAckedIndex = -1;
    private Phase phase = Phase.DRAINING;

    SwitchoverProcess(String target, long epoch, long lastIndex, long nowNanos, long timeoutNanos) {
        this.target = target;
        this.epoch = epoch;
        this.drainIndex = lastIndex;
        this.startedNanos = nowNanos;
        this.deadlineNanos = nowNanos + timeoutNanos;
    }

    RoleAction start() {
        return new RoleAction.AwaitTargetAck(target, drainIndex);
    }

    /** The host's final drain index; returns the actions it triggers. */
    List<RoleAction> onDrainIndex(long index) {
        if (phase != Phase.DRAINING) {
            return List.of();
        }
        final boolean moved = index != drainIndex;
        drainIndex = index;
        drainFinal = true;
        if (targetAckedIndex >= drainIndex) {
            return List.of(propose());
        }
        return moved ? List.of(new RoleAction.AwaitTargetAck(target, drainIndex)) : List.of();
    }

    /** An acknowledgement from a remote region; returns the proposal once the target caught up. */
    List<RoleAction> onRemoteAck(String region, long ackedIndex) {
        if (!target.equals(region) || phase != Phase.DRAINING) {
            return List.of();
        }
        targetAckedIndex = Math.max(targetAckedIndex, ackedIndex);
        if (drainFinal && targetAckedIndex >= drainIndex) {
            return List.of(propose());
        }
        return List.of();
    }

    /**
     * Non-null abort reason once the deadline passed while still draining. After the proposal the
     * switchover can no longer be called off: the epoch change may already be committing.
     */
    String timedOut(long nowNanos) {
        if (phase != Phase.DRAINING || nowNanos - deadlineNanos < 0) {
            return null;
        }
        final String acked = targetAckedIndex < 0 ? "nothing" : "index " + targetAckedIndex;
        return "switchover to " + target + " timed out after " + millis(nowNanos - startedNanos) + "ms: target acked "
                + acked + " of drain index " + drainIndex + (drainFinal ? "" : " (final drain index never confirmed)");
    }

    /**
     * What the region's replicated state means for this switchover: once it reached this epoch (or a
     * later one) the switchover completed, if the target became primary of exactly this epoch, or was
     * superseded; {@code null} while the epoch is still ahead.
     */
    RoleAction outcome(RegionState state, long nowNanos) {
        if (state.epoch() < epoch) {
            return null;
        }
        return state.epoch() == epoch && state.primaryRegion().equals(target)
                ? new RoleAction.SwitchoverCompleted(state.epoch(), state.primaryRegion(), elapsedNanos(nowNanos))
                : new RoleAction.SwitchoverAborted("superseded by epoch " + state.epoch() + " (primary " + state.primaryRegion() + ")");
    }

    boolean proposed() {
        return phase == Phase.PROPOSED;
    }

    String target() {
        return target;
    }

    long epoch() {
        return epoch;
    }

    long elapsedNanos(long nowNanos) {
        return nowNanos - startedNanos;
    }

    private RoleAction propose() {
        phase = Phase.PROPOSED;
        return new RoleAction.ProposeEpoch(epoch, target, drainIndex);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
