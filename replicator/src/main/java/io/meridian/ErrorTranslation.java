package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.raft.RegionException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns what the region's Raft group and the JDK report into Meridian's own exceptions, keeping the
 * distinction callers rely on: refused before entering any log, or outcome unknown
 * ({@link OutcomeUnknownException}).
 */
final class ErrorTranslation {

    private final ReplicatorContext ctx;
    private final NodeRuntime runtime;

    ErrorTranslation(ReplicatorContext ctx, NodeRuntime runtime) {
        this.ctx = ctx;
        this.runtime = runtime;
    }

    RuntimeException translate(Throwable error, String what) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof MeridianException me) {
            return me;
        }
        if (cause instanceof TimeoutException) {
            return new MeridianTimeoutException(what + " timed out after " + ctx.applyTimeout()
                    + "; its outcome is unknown");
        }
        if (cause instanceof RegionException re) {
            return switch (re.kind()) {
                case NOT_LEADER -> new NotLeaderException("node " + ctx.nodeId() + " is not the leader of region "
                        + ctx.region() + "; leader: " + runtime.nodeIdOf(re.leaderHint()),
                        runtime.nodeIdOf(re.leaderHint()), re.leaderHint());
                case BUSY -> new OverloadedException("region " + ctx.region() + " is busy: " + re.getMessage());
                case SHUTDOWN -> new ReplicatorClosedException("node " + ctx.nodeId() + " is shut down");
                case TIMEOUT -> new MeridianTimeoutException(what + " timed out: " + re.getMessage());
                case FAILED -> new OverloadedException(what + " failed: " + re.getMessage());
                case UNKNOWN -> new OutcomeUnknownException(what + " may or may not have been applied: "
                        + re.getMessage() + "; leader now: " + runtime.nodeIdOf(re.leaderHint()));
            };
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        return new CompletionException(cause);
    }

    NotPrimaryException notPrimary(ClusterState s) {
        long epoch = Math.max(s.epoch(), s.fencedEpoch());
        String primary = s.fencedEpoch() > s.epoch() ? s.fencedPrimary() : s.primaryRegion();
        return new NotPrimaryException("region " + ctx.region() + " is not primary; primary is " + primary
                + " (epoch " + epoch + ")", primary, epoch);
    }
}
