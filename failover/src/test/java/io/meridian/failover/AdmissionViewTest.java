package io.meridian.failover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease guards admission, reads and acknowledgements at their boundaries, with time passed in:
 * a vouch for a ping sent at S keeps the lease until S + lease, exclusive.
 */
@Timeout(5)
class AdmissionViewTest {

    private static final long LEASE = 1_500_000_000L;
    private static final long MARGIN = 300_000_000L;

    private RoleMachine primaryLeader(long now) {
        final RoleMachine m = new RoleMachine("eu", Voters.withWitness(List.of("eu", "us"), "w"),
                new FailoverConfig().leaseNanos(LEASE).leaseMarginNanos(MARGIN), RegionState.initial("eu"));
        m.onLeadership(true, now);
        m.drainActions();
        return m;
    }

    @Test
    void aViewIsReusedUntilAnInputChangesAndRebuiltWhenOneDoes() {
        final RoleMachine m = primaryLeader(0);
        final AdmissionView first = m.view();
        m.tick(1_000_000);

        assertThat(m.view()).isSameAs(first); // nothing changed: no new view, no new texts

        m.onPong("w", 1_000, 2_000_000);
        final AdmissionView renewed = m.view();
        assertThat(renewed).isNotSameAs(first);
        assertThat(renewed.leaseHeldAt(3_000_000)).isTrue();

        m.onLeadership(false, 4_000_000);
        assertThat(m.view().admission(4_000_000).refusal()).isEqualTo(Refusal.NOT_LEADER);
    }

    @Test
    void noLeaseBeforeAMajorityVouched() {
        final RoleMachine m = primaryLeader(0);

        final AdmissionView view = m.view();

        assertThat(view.leaseHeldAt(0)).isFalse();
        assertThat(view.admission(0).refusal()).isEqualTo(Refusal.LEASE_EXPIRED);
        assertThat(view.admission(0).message()).contains("retry shortly");
    }

    @Test
    void theLeaseHoldsUntilOneLeaseAfterTheVouchedPingWasSentExclusive() {
        final long sent = 1_000;
        final RoleMachine m = primaryLeader(sent);
        m.onPong("w", sent, sent + 5_000_000);

        final AdmissionView view = m.view();

        assertThat(view.leaseHeldAt(sent + 5_000_000)).isTrue();
        assertThat(view.leaseHeldAt(sent + LEASE - 1)).isTrue();
        assertThat(view.leaseHeldAt(sent + LEASE)).isFalse();
        assertThat(view.admission(sent + LEASE - 1).admitted()).isTrue();
        assertThat(view.admission(sent + LEASE).refusal()).isEqualTo(Refusal.LEASE_EXPIRED);
    }

    @Test
    void aViewTakenEarlierNeverClaimsALongerLeaseThanALaterOne() {
        final RoleMachine m = primaryLeader(0);
        m.onPong("w", 0, 1_000_000);
        final AdmissionView older = m.view();
        m.onPong("us", 500_000_000, 501_000_000);
        final AdmissionView newer = m.view();

        assertThat(older.leaseExpiresAtNanos()).isEqualTo(LEASE);
        assertThat(newer.leaseExpiresAtNanos()).isEqualTo(500_000_000 + LEASE);
    }

    @Test
    void theLeaseWorksAcrossAClockWrap() {
        final long sent = Long.MAX_VALUE - 100;
        final RoleMachine m = primaryLeader(sent);
        m.onPong("w", sent, sent + 10);

        final AdmissionView view = m.view();

        assertThat(view.leaseHeldAt(sent + LEASE - 1)).isTrue();
        assertThat(view.leaseHeldAt(sent + LEASE)).isFalse();
    }

    @Test
    void aFencedPrimaryIsRefusedWhateverItsLease() {
        final RoleMachine m = primaryLeader(0);
        m.onPong("w", 0, 1_000);
        m.onHigherEpoch(2, "us", 2_000);

        final AdmissionView view = m.view();

        assertThat(view.admission(3_000).refusal()).isEqualTo(Refusal.FENCED);
    }

    @Test
    void duringASwitchoverDrainTheLeaseStillGuardsReadsAndAcknowledgements() {
        final RoleMachine m = primaryLeader(0);
        m.onPong("w", 0, 1_000);
        assertThat(m.requestSwitchover("us", 5, 2_000).accepted()).isTrue();

        final AdmissionView view = m.view();

        assertThat(view.admission(3_000).refusal()).isEqualTo(Refusal.SWITCHING);
        assertThat(view.leaseHeldAt(LEASE - 1)).isTrue();
        assertThat(view.leaseHeldAt(LEASE)).as("a draining primary past its lease may already be deposed").isFalse();
    }

    @Test
    void withoutLeasesNothingNeedsOne() {
        final RoleMachine m = new RoleMachine("eu", Voters.of(List.of("eu", "us")),
                new FailoverConfig().leaseNanos(0), RegionState.initial("eu"));
        m.onLeadership(true, 0);

        assertThat(m.view().leaseHeldAt(Long.MAX_VALUE)).isTrue();
        assertThat(m.view().admission(0).admitted()).isTrue();
    }

    @Test
    void timingArgumentOldAcknowledgementsEndBeforeTheNewPrimaryProposes() {
        // The last vouch the old primary can hold from a granting voter is for a ping sent before
        // that voter's grant; the promoter proposes one lease plus the margin after its last grant.
        final long lastVouchedPingSent = 10_000;
        final long lastGrantAtPromoter = lastVouchedPingSent + 1;
        final RoleMachine old = primaryLeader(0);
        old.onPong("w", lastVouchedPingSent, lastVouchedPingSent + 1);
        final long lastOldAck = old.view().leaseExpiresAtNanos() - 1;
        final long promoterProposes = lastGrantAtPromoter + LEASE + MARGIN;

        assertThat(old.view().leaseHeldAt(lastOldAck)).isTrue();
        assertThat(lastOldAck).isLessThan(promoterProposes - MARGIN);
    }
}
