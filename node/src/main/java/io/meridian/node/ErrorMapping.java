package io.meridian.node;

import io.meridian.FencedException;
import io.meridian.LagExceededException;
import io.meridian.StaleSessionException;
import io.meridian.LeaseUnavailableException;
import io.meridian.OutcomeUnknownException;
import io.meridian.PositionLostException;
import io.meridian.MeridianException;
import io.meridian.MeridianTimeoutException;
import io.meridian.NotLeaderException;
import io.meridian.NotPrimaryException;
import io.meridian.OverloadedException;
import io.meridian.PromotionRefusedException;
import io.meridian.ReplicatorClosedException;
import io.meridian.SwitchingException;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Meridian's exceptions as HTTP answers: 421 for "ask another node" (its leader or the primary
 * region), 409 for refusals that a retry will not fix, 503 for transient states, 504 for an
 * unknown outcome. The JSON names where to go next so clients and ctl can redirect, says whether a
 * retry may help ({@code retriable}) and, for writes, what happened to it ({@code outcome}):
 * {@code not_applied} (refused before entering any log) or {@code unknown} (it may still commit).
 */
final class ErrorMapping {

    private ErrorMapping() {
    }

    static Http.Error toHttp(Throwable error) {
        return toHttp(error, Map.of());
    }

    /** @param adminEndpoints node id to admin address, to tell a client where the leader's API is */
    static Http.Error toHttp(Throwable error, Map<String, String> adminEndpoints) {
        Throwable e = unwrap(error);
        Http.Error mapped = map(e, adminEndpoints);
        if (e instanceof MeridianException || e instanceof TimeoutException) {
            boolean unknown = e instanceof OutcomeUnknownException || e instanceof TimeoutException;
            mapped = mapped.with("outcome", unknown ? "unknown" : "not_applied");
        }
        return mapped;
    }

    private static Http.Error map(Throwable e, Map<String, String> adminEndpoints) {
        if (e instanceof Http.Error h) {
            return h;
        }
        if (e instanceof NotLeaderException nl) {
            return new Http.Error(421, "not_leader", nl.getMessage())
                    .with("leader", nl.leaderNode())
                    .with("leader_admin", adminEndpoints.getOrDefault(nl.leaderNode(), ""))
                    .with("retriable", true);
        }
        if (e instanceof NotPrimaryException np) {
            return new Http.Error(421, "not_primary", np.getMessage())
                    .with("primary_region", np.primaryRegion()).with("epoch", np.epoch())
                    .with("primary_leader", np.primaryLeaderNode())
                    .with("primary_leader_admin", adminEndpoints.getOrDefault(np.primaryLeaderNode(), ""))
                    .with("retriable", true);
        }
        if (e instanceof StaleSessionException s) {
            return new Http.Error(409, "stale_session", s.getMessage()).with("last_sequence", s.lastSequence())
                    .with("retriable", false);
        }
        if (e instanceof LagExceededException l) {
            return new Http.Error(503, "lag_exceeded", l.getMessage())
                    .with("lag_ms", l.lagMillis() == Long.MAX_VALUE ? -1 : l.lagMillis())
                    .with("max_lag_ms", l.maxLagMillis()).with("retriable", true);
        }
        if (e instanceof LeaseUnavailableException l) {
            return new Http.Error(503, "no_lease", l.getMessage()).with("primary_region", l.primaryRegion())
                    .with("epoch", l.epoch()).with("retriable", true);
        }
        if (e instanceof PositionLostException p) {
            return new Http.Error(410, "position_lost", p.getMessage()).with("retriable", false);
        }
        if (e instanceof FencedException f) {
            return new Http.Error(409, "fenced", f.getMessage()).with("epoch", f.knownEpoch()).with("retriable", false);
        }
        if (e instanceof PromotionRefusedException) {
            return new Http.Error(409, "refused", e.getMessage()).with("retriable", false);
        }
        if (e instanceof SwitchingException || e instanceof OverloadedException || e instanceof ReplicatorClosedException) {
            String code = e instanceof SwitchingException ? "switching" : e instanceof OverloadedException ? "overloaded"
                    : "closed";
            return new Http.Error(503, code, e.getMessage()).with("retriable", true);
        }
        if (e instanceof MeridianTimeoutException || e instanceof TimeoutException) {
            return new Http.Error(504, "timeout", e.getMessage() + " (the outcome is unknown)").with("retriable", true);
        }
        if (e instanceof OutcomeUnknownException) {
            return new Http.Error(504, "outcome_unknown", e.getMessage()).with("retriable", true);
        }
        if (e instanceof MeridianException me) {
            return new Http.Error(503, "unavailable", me.getMessage()).with("retriable", me.isRetriable());
        }
        if (e instanceof IllegalArgumentException) {
            return new Http.Error(400, "bad_request", e.getMessage());
        }
        return new Http.Error(500, "internal", String.valueOf(e));
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
