package io.meridian.failover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class VoterStateTest {

    @Test
    void vouchesForTheAdoptedPrimary() {
        final VoterState voter = VoterState.initial("eu");

        final PingVerdict verdict = voter.onPing(1, "eu");

        assertThat(verdict).isEqualTo(new PingVerdict(true, 1, "eu", false));
        assertThat(verdict.kind()).isEqualTo(PingVerdict.Kind.VOUCH);
    }

    @Test
    void refusesADeposedPrimaryAndNamesTheNewOne() {
        final VoterState voter = VoterState.initial("eu");
        assertThat(voter.onAdopt(2, "us")).isTrue();

        final PingVerdict verdict = voter.onPing(1, "eu");

        assertThat(verdict.kind()).isEqualTo(PingVerdict.Kind.REFUSE_STALE);
        assertThat(verdict.epoch()).isEqualTo(2);
        assertThat(verdict.primaryRegion()).isEqualTo("us");
        assertThat(verdict.adopted()).isFalse();
    }

    @Test
    void refusesASecondPrimaryClaimingTheSameEpoch() {
        final VoterState voter = new VoterState(3, "us");

        assertThat(voter.onPing(3, "eu").vouch()).isFalse();
    }

    @Test
    void adoptsANewerEpochFromAPingAndAsksToPersist() {
        final VoterState voter = VoterState.initial("eu");

        final PingVerdict verdict = voter.onPing(2, "us");

        assertThat(verdict).isEqualTo(new PingVerdict(true, 2, "us", true));
        assertThat(voter.epoch()).isEqualTo(2);
        assertThat(voter.primaryRegion()).isEqualTo("us");
    }

    @Test
    void adoptIsIdempotentForTheSameCandidateOnly() {
        final VoterState voter = VoterState.initial("eu");

        assertThat(voter.onAdopt(2, "us")).isTrue();
        assertThat(voter.onAdopt(2, "us")).isTrue();
        assertThat(voter.onAdopt(2, "ap")).isFalse();
        assertThat(voter.onAdopt(1, "eu")).isFalse();
        assertThat(voter.onAdopt(3, "ap")).isTrue();
        assertThat(voter.epoch()).isEqualTo(3);
        assertThat(voter.primaryRegion()).isEqualTo("ap");
    }

    @Test
    void restoresPersistedState() {
        final VoterState voter = new VoterState(7, "us");

        assertThat(voter.onPing(7, "us").vouch()).isTrue();
        assertThatThrownBy(() -> new VoterState(0, "us")).isInstanceOf(IllegalArgumentException.class);
    }
}
