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
    private final long resendNanos;
    private long nextResendNanos;
    private final Set<String> granted = new LinkedHashSet<>();
    private final Set<String> denied = new LinkedHashSet<>();
    private long proposeAtNanos;
    private String rival;
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
        this.resendNanos = config.voteResendIntervalNanos();
        this.nextResendNanos = nowNanos + resendNanos;
        this.phase = config.leaseEnabled() ? Phase.VOTING : Phase.PROPOSED;
    }

    RoleAction start() {
        return phase == Phase.PROPOSED ? proposal() : new RoleAction.RequestVotes(epoch, self, voters);
    }

    /**
     * @param holder for a denial: the candidate this voter granted the epoch to instead ("" if none or
     *               unknown); named in the failure so the operator learns who won
     */
    List<RoleAction> onVote(String voter, long voteEpoch, boolean grant, String holder, long nowNanos) {
        if (phase != Phase.VOTING || voteEpoch != epoch || !voters.contains(voter)
                || granted.contains(voter) || denied.contains(voter)) {
            return List.of();
        }
        (grant ? granted : denied).add(voter);
        if (!grant && holder != null && !holder.isEmpty() && !holder.equals(self)) {
            rival = holder;
        }
        if (granted.size() >= neededGrants) {
            phase = Phase.LEASE_WAIT;
            proposeAtNanos = nowNanos + leaseWaitNanos;
            return List.of();
        }
        if (!granted.contains(self) && denied.contains(self)) {
            return fail("this region's own voter state refused epoch " + epoch + " (it adopted another candidate)");
        }
        if (voters.size() - denied.size() < neededGrants) {
            final String reason = "votes for epoch " + epoch + " denied by " + denied + "; " + neededGrants + " of "
                    + voters.size() + " grants are no longer possible";
            if (rival != null) {
                phase = Phase.FAILED;
                return List.of(new RoleAction.PromotionLost(epoch, rival, reason + "; epoch " + epoch + " was granted to " + rival));
            }
            return fail(reason);
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
        if (phase == Phase.VOTING && nowNanos - nextResendNanos >= 0) {
            nextResendNanos = nowNanos + resendNanos;
            final List<String> silent = new ArrayList<>(voters);
            silent.removeAll(granted);
            silent.removeAll(denied);
            return List.of(new RoleAction.RequestVotes(epoch, self, silent));
        }
        return List.of();
    }

    List<RoleAction> fail(String reason) {
        phase = Phase.FAILED;
        return List.of(new RoleAction.PromotionFailed(reason));
    }

    /**
     * What the region's replicated state means for this candidacy, or {@code null} while undecided:
     * lost when the region's own vote went to another candidate (it yielded to a rival that sorts
     * first, or granted a newer epoch), so the self grant can never be gathered; completed when this
     * region became primary of exactly this epoch; failed when another epoch got there first.
     */
    RoleAction outcome(RegionState state, long nowNanos) {
        if (state.epoch() < epoch) {
            if (state.votedEpoch() > epoch || (state.votedEpoch() == epoch && !state.votedFor().equals(self))) {
                return new RoleAction.PromotionLost(epoch, state.votedFor(), "region " + self
                        + " granted epoch " + state.votedEpoch() + " to " + state.votedFor());
            }
            return null;
        }
        return state.epoch() == epoch && state.primaryRegion().equals(self)
                ? new RoleAction.PromotionCompleted(state.epoch(), elapsedNanos(nowNanos))
                : new RoleAction.PromotionFailed("superseded by epoch " + state.epoch() + " (primary " + state.primaryRegion() + ")");
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
