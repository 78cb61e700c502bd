package io.meridian.failover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class LeaseTrackerTest {

    private static final long LEASE = 1_000;

    @Test
    void selfAloneIsNotAMajorityOfThree() {
        final LeaseTracker lease = new LeaseTracker("eu", List.of("eu", "us", "w"), LEASE);

        assertThat(lease.majority()).isEqualTo(2);
        assertThat(lease.holds(0)).isFalse();
        assertThat(lease.hasQuorumOfVouches()).isFalse();
        assertThat(lease.expiresAtNanos()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void oneVouchHoldsUntilLeaseAfterThePingWasSent() {
        final LeaseTracker lease = new LeaseTracker("eu", List.of("eu", "us", "w"), LEASE);

        lease.onPong("us", 100);

        assertThat(lease.holds(100)).isTrue();
        assertThat(lease.holds(1_099)).isTrue();
        assertThat(lease.holds(1_100)).isFalse();
        assertThat(lease.expiresAtNanos()).isEqualTo(1_100);
    }

    @Test
    void expiryFollowsTheMajorityFormingVouchThatExpiresFirst() {
        final LeaseTracker lease = new LeaseTracker("a", List.of("a", "b", "c", "d", "e"), LEASE);

        lease.onPong("b", 500);
        lease.onPong("c", 300);
        lease.onPong("d", 100);

        // Majority 3: self plus the two most recent vouches (500, 300); the older one does not matter.
        assertThat(lease.expiresAtNanos()).isEqualTo(1_300);
        assertThat(lease.holds(1_299)).isTrue();
        assertThat(lease.holds(1_300)).isFalse();
    }

    @Test
    void olderEchoNeverShortensAVouch() {
        final LeaseTracker lease = new LeaseTracker("eu", List.of("eu", "us", "w"), LEASE);

        lease.onPong("us", 500);
        lease.onPong("us", 200);

        assertThat(lease.expiresAtNanos()).isEqualTo(1_500);
    }

    @Test
    void unknownVotersAndSelfAreIgnored() {
        final LeaseTracker lease = new LeaseTracker("eu", List.of("eu", "us", "w"), LEASE);

        lease.onPong("mars", 0);
        lease.onPong("eu", 0);

        assertThat(lease.holds(1)).isFalse();
    }

    @Test
    void resetForgetsEveryVouch() {
        final LeaseTracker lease = new LeaseTracker("eu", List.of("eu", "us", "w"), LEASE);
        lease.onPong("us", 0);

        lease.reset();

        assertThat(lease.holds(1)).isFalse();
    }

    @Test
    void singleVoterAlwaysHolds() {
        final LeaseTracker lease = new LeaseTracker("eu", List.of("eu"), LEASE);

        assertThat(lease.holds(Long.MIN_VALUE)).isTrue();
        assertThat(lease.expiresAtNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void survivesClockWrapAround() {
        final LeaseTracker lease = new LeaseTracker("eu", List.of("eu", "us", "w"), LEASE);
        final long sent = Long.MAX_VALUE - 400;

        lease.onPong("us", sent);
        lease.onPong("w", sent - 10);

        assertThat(lease.holds(Long.MIN_VALUE)).isTrue(); // 400 + 1 ns after sending
        assertThat(lease.holds(sent + LEASE - 1)).isTrue();
        assertThat(lease.holds(sent + LEASE)).isFalse();
        assertThat(lease.expiresAtNanos()).isEqualTo(sent + LEASE);
    }

    @Test
    void requiresSelfAmongVotersAndPositiveLease() {
        assertThatThrownBy(() -> new LeaseTracker("eu", List.of("us", "w"), LEASE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must include self");
        assertThatThrownBy(() -> new LeaseTracker("eu", List.of("eu", "us"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseNanos");
    }
}
