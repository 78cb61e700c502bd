package io.meridian.failover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one voter rule, as data regions and the witness both apply it. */
@Timeout(5)
class VoterStateTest {

    @Test
    void vouchesForTheEstablishedPrimary() {
        final VoterState voter = VoterState.initial("eu");

        final PingVerdict verdict = voter.onPing(1, "eu");

        assertThat(verdict.kind()).isEqualTo(PingVerdict.Kind.VOUCH);
        assertThat(verdict.adopted(voter)).isFalse();
    }

    @Test
    void refusesAnOlderEpochOrASecondPrimaryOfTheSameEpochAsStale() {
        final VoterState voter = new VoterState(3, "us", 0, "");

        assertThat(voter.onPing(2, "eu").kind()).isEqualTo(PingVerdict.Kind.REFUSE_STALE);
        assertThat(voter.onPing(3, "eu").kind()).isEqualTo(PingVerdict.Kind.REFUSE_STALE);
        assertThat(voter.onPing(2, "eu").next()).isEqualTo(voter);
    }

    @Test
    void adoptsANewerEstablishedEpochFromAPing() {
        final VoterState voter = VoterState.initial("eu");

        final PingVerdict verdict = voter.onPing(2, "us");

        assertThat(verdict.kind()).isEqualTo(PingVerdict.Kind.VOUCH);
        assertThat(verdict.adopted(voter)).isTrue();
        assertThat(verdict.next()).isEqualTo(new VoterState(2, "us", 0, ""));
    }

    @Test
    void grantsAnEpochToOneCandidateOnly() {
        final VoterState voter = VoterState.initial("eu");

        final VoterState.VoteDecision first = voter.onVote(2, "us");
        assertThat(first.granted()).isTrue();
        assertThat(first.changed(voter)).isTrue();
        final VoterState promised = first.next();

        final VoterState.VoteDecision rival = promised.onVote(2, "ap");
        assertThat(rival.granted()).isFalse();
        assertThat(rival.reason()).contains("already granted to us");
        assertThat(rival.next()).isEqualTo(promised);

        final VoterState.VoteDecision repeat = promised.onVote(2, "us");
        assertThat(repeat.granted()).isTrue();
        assertThat(repeat.changed(promised)).isFalse();
    }

    @Test
    void refusesEpochsAlreadyEstablishedOrOlderThanAPromise() {
        final VoterState voter = new VoterState(3, "us", 5, "ap");

        assertThat(voter.onVote(3, "eu").granted()).isFalse();
        assertThat(voter.onVote(3, "us").granted()).isTrue();
        assertThat(voter.onVote(4, "eu").granted()).isFalse();
        assertThat(voter.onVote(4, "eu").reason()).contains("newer epoch 5 to ap");
        assertThat(voter.onVote(6, "eu").granted()).isTrue();
    }

    @Test
    void aPromiseStopsVouchingForOlderEpochsWithoutFencingThem() {
        final VoterState promised = VoterState.initial("eu").onVote(2, "us").next();

        final PingVerdict verdict = promised.onPing(1, "eu");

        // Not stale: epoch 2 may never be established, so eu must not learn of it as a fact.
        assertThat(verdict.kind()).isEqualTo(PingVerdict.Kind.REFUSE_PROMISED);
        assertThat(verdict.next()).isEqualTo(promised);
        assertThat(promised.epoch()).isEqualTo(1);
        assertThat(promised.highestEpochSeen()).isEqualTo(2);
    }

    @Test
    void vouchesForThePromisedEpochOnceItIsEstablished() {
        final VoterState promised = VoterState.initial("eu").onVote(2, "us").next();

        final PingVerdict verdict = promised.onPing(2, "us");

        assertThat(verdict.kind()).isEqualTo(PingVerdict.Kind.VOUCH);
        assertThat(verdict.next()).isEqualTo(new VoterState(2, "us", 2, "us"));
    }

    @Test
    void validatesItsState() {
        assertThatThrownBy(() -> new VoterState(0, "us", 0, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VoterState(1, "us", -1, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRegionYieldsItsOwnCandidacyOnlyToARivalThatSortsFirstAndOnlyWhileItMay() {
        final VoterState selfPromised = VoterState.initial("eu").onVote(2, "us").next();

        final VoterState.VoteDecision yielded = selfPromised.onVote(2, "ap", "us", true);
        assertThat(yielded.granted()).isTrue();
        assertThat(yielded.next().votedFor()).isEqualTo("ap");
        assertThat(yielded.reason()).contains("yielded");

        assertThat(selfPromised.onVote(2, "zz", "us", true).granted()).as("rival sorts after us").isFalse();
        assertThat(selfPromised.onVote(2, "ap", "us", false).granted()).as("our candidacy has a majority").isFalse();
        assertThat(selfPromised.onVote(2, "ap", null, true).granted()).as("the witness never yields").isFalse();
        final VoterState promisedToOther = VoterState.initial("eu").onVote(2, "zz").next();
        assertThat(promisedToOther.onVote(2, "ap", "us", true).granted()).as("only our own grant may move").isFalse();
    }
}
