package io.meridian.failover;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One attempt to make this (secondary) region primary of {@code epoch}.
 *
 * <p>With leases: collect grants, then wait one lease plus the drift margin from the moment the last
 * needed grant arrived. Every granting voter adopted the new epoch and refuses to vouch for the old
 * primary from then on, and any lease majority includes one of them, so by the end of the wait the old
 * primary's lease has run out on its own clock. Only then is the epoch proposed.
 *
 * <p>Grants needed: a majority of voters, so two candidates cannot both win one epoch. With exactly
 * two voters a majority would need the (presumably dead) primary, so the self grant alone suffices:
 * there is no rival candidate, and the old primary cannot hold a lease without this region's vouch.
 *
 * <p>Without leases the epoch is proposed at once (see {@link FailoverConfig} on split brain).
 */
final class PromotionProcess {

    enum Phase { VOTING, LEASE_WAIT, PROPOSED, FAILED }

    private final String self;
    private final long epoch;
    private final long basis;
    private final List<String> voters;
    private final int neededGrants;
    private final long startedNanos;
    private final long voteDeadlineNanos;
    private final long leaseWaitNanos;
    private final Set<String> granted = new LinkedHashSet<>();
    private final Set<String> denied = new LinkedHashSet<>();
    private long proposeAtNanos;
    private Phase phase;

    PromotionProcess(String self, long epoch, long basis, Voters voters, FailoverConfig config, long nowNanos) {
        this.self = self;
        this.epoch = epoch;
        this.basis = basis;
        this.voters = voters.all();
        this.neededGrants = voters.size() == 2 ? 1 : voters.majority();
        this.startedNanos = nowNanos;
        this.voteDeadlineNanos = nowNanos + config.promotionVoteTimeoutNanos();
        this.leaseWaitNanos = config.leaseNanos() + config.leaseMarginNanos();
        this.phase = config.leaseEnabled() ? Phase.VOTING : Phase.PROPOSED;
    }

    RoleAction start() {
        return phase == Phase.PROPOSED ? proposal() : new RoleAction.RequestVotes(epoch, self, voters);
    }

    List<RoleAction> onVote(String voter, long voteEpoch, boolean grant, long nowNanos) {
        if (phase != Phase.VOTING || voteEpoch != epoch || !voters.contains(voter)
                || granted.contains(voter) || denied.contains(voter)) {
            return List.of();
        }
        (grant ? granted : denied).add(voter);
        if (granted.size() >= neededGrants) {
            phase = Phase.LEASE_WAIT;
            proposeAtNanos = nowNanos + leaseWaitNanos;
            return List.of();
        }
        if (!granted.contains(self) && denied.contains(self)) {
            return fail("this region's own voter state refused epoch " + epoch + " (it adopted another candidate)");
        }
        if (voters.size() - denied.size() < neededGrants) {
            return fail("votes for epoch " + epoch + " denied by " + denied + "; " + neededGrants + " of "
                    + voters.size() + " grants are no longer possible");
        }
        return List.of();
    }

    List<RoleAction> tick(long nowNanos) {
        if (phase == Phase.VOTING && nowNanos - voteDeadlineNanos >= 0) {
            final List<String> missing = new ArrayList<>(voters);
            missing.removeAll(granted);
            missing.removeAll(denied);
            return fail("vote for epoch " + epoch + " timed out: " + granted.size() + " of " + neededGrants
                    + " needed grants (granted " + granted + ", denied " + denied + ", silent " + missing + ")");
        }
        if (phase == Phase.LEASE_WAIT && nowNanos - proposeAtNanos >= 0) {
            return List.of(proposal());
        }
        return List.of();
    }

    List<RoleAction> fail(String reason) {
        phase = Phase.FAILED;
        return List.of(new RoleAction.PromotionFailed(reason));
    }

    boolean failed() {
        return phase == Phase.FAILED;
    }

    Phase phase() {
        return phase;
    }

    long epoch() {
        return epoch;
    }

    long elapsedNanos(long nowNanos) {
        return nowNanos - startedNanos;
    }

    private RoleAction proposal() {
        phase = Phase.PROPOSED;
        return new RoleAction.ProposeEpoch(epoch, self, basis);
    }
}
