package io.meridian.failover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class FailoverConfigTest {

    @Test
    void defaultsConclude() {
        final FailoverConfig config = new FailoverConfig().conclude();

        assertThat(config.leaseEnabled()).isTrue();
        assertThat(config.pingIntervalNanos()).isEqualTo(FailoverConfig.DEFAULT_LEASE_NANOS / 3);
        assertThatThrownBy(() -> config.leaseNanos(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsMarginNotSmallerThanLease() {
        assertThatThrownBy(() -> new FailoverConfig().leaseNanos(100).leaseMarginNanos(100).conclude())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("leaseMarginNanos");
    }

    @Test
    void rejectsNonPositiveTimeouts() {
        assertThatThrownBy(() -> new FailoverConfig().switchoverTimeoutNanos(0).conclude())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("switchoverTimeoutNanos");
        assertThatThrownBy(() -> new FailoverConfig().promotionVoteTimeoutNanos(-1).conclude())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("promotionVoteTimeoutNanos");
        assertThatThrownBy(() -> new FailoverConfig().leaseNanos(-1).conclude())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("leaseNanos");
    }

    @Test
    void disabledLeaseAllowsAnyMargin() {
        assertThat(new FailoverConfig().leaseNanos(0).conclude().leaseEnabled()).isFalse();
    }

    @Test
    void votersRejectMisconfiguration() {
        assertThat(Voters.withWitness(List.of("eu", "us"), "w").majority()).isEqualTo(2);
        assertThatThrownBy(() -> Voters.of(List.of("eu", "eu"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Voters.withWitness(List.of("eu", "us"), "us")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RoleMachine("ap", Voters.of(List.of("eu", "us")), new FailoverConfig(), RegionState.initial("eu")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ap'");
    }
}
