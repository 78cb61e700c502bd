package io.meridian.node;

import io.meridian.Health;
import io.meridian.Replicator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gauges the alerting rules (deploy/prometheus/meridian-rules.yml) need beyond NodeMetrics' own:
 * lease, region role and fencing mode as 0/1 series, the WAL's size on disk, and on the primary's
 * leader how long each voter has not vouched for its lease. Role and mode are "state sets" (one series
 * per possible value, 1 for the current one) so a rule can match a role without string labels that
 * change value, which would break every {@code for:} clause at each change.
 */
final class RoleMetrics {

    static final List<String> REGION_ROLES = List.of("PRIMARY", "SECONDARY", "FENCED");
    static final List<String> FENCING_MODES = List.of("lease", "unsafe_off", "single_region");

    private final MeterRegistry registry;
    private final Replicator replicator;
    private final Set<String> votersRegistered = ConcurrentHashMap.newKeySet();

    RoleMetrics(MeterRegistry registry, Replicator replicator, Supplier<Health> health) {
        this.registry = registry;
        this.replicator = replicator;
        Gauge.builder("meridian.lease.held", () -> health.get().leaseHeld() ? 1 : 0)
                .description("1 when this node's region is primary and (on its leader) holds the lease now,"
                        + " or (on a follower) its leader confirmed it within the last lease")
                .register(registry);
        for (String role : REGION_ROLES) {
            Gauge.builder("meridian.region.role", () -> role.equals(health.get().regionRole()) ? 1 : 0)
                    .description("1 for this region's current role as this node knows it").tag("role", role)
                    .register(registry);
        }
        for (String mode : FENCING_MODES) {
            Gauge.builder("meridian.fencing.mode", () -> mode.equals(fencingMode(health.get().fencing())) ? 1 : 0)
                    .description("1 for how a deposed primary is fenced: lease, unsafe_off (unsafeNoFencing),"
                            + " single_region").tag("mode", mode).register(registry);
        }
    }

    static String fencingMode(String fencing) {
        if (fencing.startsWith("lease")) {
            return "lease";
        }
        return fencing.startsWith("UNSAFE") ? "unsafe_off" : "single_region";
    }

    /** Registers a vouch-age gauge for each voter the primary's leader pings (called at scrape time). */
    void onScrape() {
        for (String voter : replicator.voterVouchAgesNanos().keySet()) {
            if (votersRegistered.add(voter)) {
                // NaN once this node stops pinging (lost leadership, deposed): no stale age to alert on.
                Gauge.builder("meridian.voter.vouch.age", replicator, r -> {
                            Long nanos = r.voterVouchAgesNanos().get(voter);
                            return nanos == null ? Double.NaN : nanos / 1e9;
                        }).baseUnit("seconds").tag("voter", voter)
                        .description("on the primary's leader: seconds since the send time of the newest lease ping"
                                + " this voter vouched for (data regions by name, the witness as 'witness')")
                        .register(registry);
            }
        }
    }
}
