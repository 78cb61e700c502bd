package io.meridian.failover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-voter vouch ages behind the "witness unreachable" alert: dated like the lease (by the send
 * time of the vouched ping), counted from the tenure start for a voter that never answered, and only
 * published while this node pings as the primary's leader.
 */
@Timeout(5)
class VouchAgesTest {

    private static final long LEASE = 1_500_000_000L;

    private static RoleMachine machine(String region) {
        return new RoleMachine(region, Voters.withWitness(List.of("eu", "us"), "w"),
                new FailoverConfig().leaseNanos(LEASE).leaseMarginNanos(300_000_000L), RegionState.initial("eu"));
    }

    @Test
    void agesRunFromTheVouchedPingsSendTimeOrFromTheTenureStart() {
        RoleMachine m = machine("eu");
        m.onLeadership(true, 1_000);
        m.onPong("us", 2_000, 3_000);

        Map<String, Long> ages = m.vouchAgesNanos(10_000);

        assertThat(ages).containsOnlyKeys("us", "w");
        assertThat(ages.get("us")).isEqualTo(8_000);
        assertThat(ages.get("w")).as("never vouched: age of the tenure").isEqualTo(9_000);
    }

    @Test
    void emptyWhenNotPingingAndANewTenureStartsAfresh() {
        RoleMachine follower = machine("eu");
        assertThat(follower.vouchAgesNanos(5_000)).isEmpty();
        assertThat(machine("us").vouchAgesNanos(5_000)).as("a secondary does not ping").isEmpty();

        RoleMachine m = machine("eu");
        m.onLeadership(true, 0);
        m.onPong("w", 10, 20);
        m.onLeadership(false, 100);
        assertThat(m.vouchAgesNanos(200)).isEmpty();
        m.onLeadership(true, 1_000);
        assertThat(m.vouchAgesNanos(1_500)).containsEntry("w", 500L).containsEntry("us", 500L);
    }
}
