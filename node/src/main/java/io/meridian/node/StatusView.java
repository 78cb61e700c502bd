package io.meridian.node;

import io.meridian.Health;
import io.meridian.Replicator;
import io.meridian.kv.KvStateMachine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes of {@code /status} and {@code /health}. {@code lag_ms} is the current lag
 * ({@link Replicator#currentLagMillis()}: 0 when caught up and in the primary region); the
 * percentiles since start are under {@code inbound}; {@code remotes} is only filled on the shipping
 * leader.
 */
final class StatusView {

    private StatusView() {
    }

    static Map<String, Object> status(Replicator replicator, Object stateMachine, String adminAddress) {
        Health h = replicator.health();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", h.node());
        out.put("region", h.region());
        out.put("admin", adminAddress);
        out.put("role", h.raftRole());
        out.put("region_role", h.regionRole());
        out.put("leader", h.leader());
        out.put("term", h.term());
        out.put("epoch", h.epoch());
        out.put("primary_region", h.primaryRegion());
        out.put("fencing", h.fencing());
        out.put("lease_held", h.leaseHeld());
        out.put("commit_index", h.commitIndex());
        out.put("applied_index", h.appliedIndex());
        out.put("last_index", h.walLastIndex());
        out.put("wal_first_index", h.walFirstIndex());
        out.put("wal_bytes", h.walBytes());
        out.put("state_machine_error", h.stateMachineError());
        out.put("applied_waiters", h.appliedWaiters());
        out.put("lag_ms", lagMs(replicator, h));
        Map<String, Object> remotes = new LinkedHashMap<>();
        h.remotes().forEach((region, r) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("state", r.state());
            m.put("shipped_index", r.shippedIndex());
            m.put("acked_index", r.ackedIndex());
            m.put("lag_entries", r.lagEntries());
            m.put("lag_ms_p50", r.lagMsP50());
            m.put("lag_ms_p99", r.lagMsP99());
            m.put("reconnects", r.reconnects());
            m.put("in_flight_batches", r.inFlightBatches());
            m.put("errors", r.errors());
            m.put("last_error", r.lastError());
            remotes.put(region, m);
        });
        out.put("remotes", remotes);
        Map<String, Object> inbound = new LinkedHashMap<>();
        replicator.inboundLag().forEach((origin, s) -> inbound.put(origin,
                Map.of("lag_ms_p50", s.p50Millis(), "lag_ms_p99", s.p99Millis(), "lag_ms_p999", s.p999Millis(),
                        "lag_ms_max", s.maxMillis(), "entries", s.count())));
        out.put("inbound", inbound);
        Map<String, Object> anatomy = new LinkedHashMap<>();
        replicator.lagAnatomy().forEach((origin, stages) -> {
            Map<String, Object> byStage = new LinkedHashMap<>();
            stages.forEach(st -> byStage.put(st.stage(), Map.of("count", st.count(), "p50_us", st.p50Micros(),
                    "p90_us", st.p90Micros(), "p99_us", st.p99Micros(), "p999_us", st.p999Micros(),
                    "max_us", st.maxMicros())));
            anatomy.put(origin, byStage);
        });
        out.put("lag_anatomy", anatomy);
        out.put("dropped_frames", replicator.droppedFramesByReason());
        out.put("xregion_faults", replicator.crossRegionFaults());
        io.meridian.Membership membership = replicator.members().view();
        out.put("member_role", membership.members().stream().filter(m -> m.nodeId().equals(h.node())).findFirst()
                .map(m -> m.isObserver() ? "observer" : "voter").orElse("none"));
        out.put("lease_holder", membership.leaseHolder());
        out.put("members", MembershipRoutes.members(membership));
        if (stateMachine instanceof KvStateMachine kv) {
            out.put("kv_digest", kv.digest());
            out.put("kv_size", kv.size());
        }
        return out;
    }

    static long lagMs(Replicator replicator, Health h) {
        return replicator.currentLagMillis();
    }

    /** Null when healthy, else why not. */
    static String unhealthyReason(Health h) {
        if (!h.isApplying()) {
            return "node " + h.node() + " stopped applying committed entries: " + h.stateMachineError()
                    + " (restart it once fixed; the rest of the region carries on)";
        }
        if (h.leader().isEmpty()) {
            return "region " + h.region() + " has no leader (no majority reachable, or an election is on)";
        }
        if ("FENCED".equals(h.regionRole())) {
            return "region " + h.region() + " was primary of epoch " + h.epoch() + " but is fenced (deposed by a newer "
                    + "epoch, or its leader holds no lease): it accepts no writes and serves no linearizable reads";
        }
        if (h.fencing().startsWith("lease ") && "PRIMARY".equals(h.regionRole()) && !h.leaseHeld()) {
            // A leaseless primary serves nothing; a follower that cannot confirm its leader's lease
            // (cut off, or just resumed after a pause during which it may have been deposed) says so too.
            return "region " + h.region() + " is primary of epoch " + h.epoch() + " but " + (h.isLeader()
                    ? "this leader holds no lease" : "its leader " + h.leader() + " has not confirmed holding the lease")
                    + " (no majority of voters vouched recently): it accepts no writes and serves no linearizable reads";
        }
        return null;
    }
}
