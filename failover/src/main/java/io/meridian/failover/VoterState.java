package io.meridian.failover;

import java.util.Objects;

/**
 * The one voter rule, used alike by data regions (applied on every node of the region through its
 * Raft log) and by the witness (persisted to a file): what a voter remembers, and how it answers
 * lease pings and promotion votes. Immutable: every decision returns the next state, which the caller
 * must persist durably (fsync, or commit through Raft) <em>before</em> it sends the answer, exactly as
 * Raft persists {@code votedFor} before replying.
 *
 * <p>Two things are remembered, and they are deliberately kept apart:
 * <ul>
 *   <li>the <b>established</b> epoch and its primary: an epoch some region really began (it committed
 *       the epoch change and pings with it). Knowing a newer established epoch fences an older
 *       primary;</li>
 *   <li>the <b>promise</b> ({@code votedEpoch}, {@code votedFor}): the epoch this voter granted to a
 *       candidate. A promise is not an epoch: a promotion may fail, and an epoch that did not win must
 *       never fence anyone. A promise only makes this voter (a) refuse every other candidate for that
 *       epoch — one winner per epoch — and (b) stop vouching for the lease of any older epoch, which
 *       is what lets the winner wait out the old primary's lease.</li>
 * </ul>
 *
 * @param epoch         highest established epoch known, >= 1
 * @param primaryRegion primary of {@code epoch}
 * @param votedEpoch    highest epoch granted to a candidate, 0 when none
 * @param votedFor      the candidate granted {@code votedEpoch}, "" when none
 */
public record VoterState(long epoch, String primaryRegion, long votedEpoch, String votedFor) {

    public VoterState {
        Objects.requireNonNull(primaryRegion, "primaryRegion");
        Objects.requireNonNull(votedFor, "votedFor");
        if (epoch < RegionState.INITIAL_EPOCH) {
            throw new IllegalArgumentException("epoch must be >= 1: " + epoch);
        }
        if (votedEpoch < 0) {
            throw new IllegalArgumentException("votedEpoch must be >= 0: " + votedEpoch);
        }
    }

    /** Epoch 1 with the configured initial primary and no promise. */
    public static VoterState initial(String initialPrimary) {
        return new VoterState(RegionState.INITIAL_EPOCH, initialPrimary, 0, "");
    }

    /** A voter's answer to a promotion vote request, and its state afterwards. */
    public record VoteDecision(VoterState next, boolean granted, String reason) {
        /** True when {@link #next()} differs and must be persisted before answering. */
        public boolean changed(VoterState before) {
            return !next.equals(before);
        }
    }

    /**
     * A candidate asks to become primary of {@code requestedEpoch}. Granted when the epoch is newer than
     * anything established or promised, or when it is exactly the promise already made to this
     * candidate (a resent request gets the same answer). Never granted to a second candidate.
     */
    public VoteDecision onVote(long requestedEpoch, String candidate) {
        return onVote(requestedEpoch, candidate, null, false);
    }

    /**
     * As {@link #onVote(long, String)}, for a data region that may itself be a candidate.
     *
     * <p>Two regions promoted at the same moment each grant themselves first and would then refuse each
     * other, so neither could win. To break the tie deterministically a region yields its <em>own</em>
     * candidacy to a candidate whose name sorts first, as long as that candidacy has not gathered a
     * majority yet ({@code mayYield}). Switching this one promise is safe: a region's grant to itself
     * counts only for its own candidacy, which it abandons by yielding (its promotion fails and it will
     * never propose this epoch); the promise not to vouch for older epochs stays.
     *
     * @param self     this voter's own region name, or {@code null} for a voter that is never a candidate
     * @param mayYield true while this region's own candidacy for {@code requestedEpoch}, if any, is still
     *                 collecting votes
     */
    public VoteDecision onVote(long requestedEpoch, String candidate, String self, boolean mayYield) {
        Objects.requireNonNull(candidate, "candidate");
        if (self != null && mayYield && requestedEpoch == votedEpoch && requestedEpoch > epoch
                && votedFor.equals(self) && candidate.compareTo(self) < 0) {
            return new VoteDecision(new VoterState(epoch, primaryRegion, votedEpoch, candidate), true,
                    "yielded this region's own candidacy for epoch " + votedEpoch + " to " + candidate);
        }
        if (requestedEpoch <= epoch) {
            final boolean same = requestedEpoch == epoch && candidate.equals(primaryRegion);
            return new VoteDecision(this, same, same ? "epoch " + epoch + " already established with " + candidate
                    : "epoch " + epoch + " is established with primary " + primaryRegion);
        }
        if (requestedEpoch < votedEpoch) {
            return new VoteDecision(this, false, "already granted the newer epoch " + votedEpoch + " to " + votedFor);
        }
        if (requestedEpoch == votedEpoch) {
            final boolean same = candidate.equals(votedFor);
            return new VoteDecision(this, same, same ? "granted before" : "epoch " + votedEpoch + " already granted to " + votedFor);
        }
        return new VoteDecision(new VoterState(epoch, primaryRegion, requestedEpoch, candidate), true, "granted");
    }

    /**
     * Answers a lease ping from the primary of {@code pingEpoch}. The pinger only pings once its own
     * region committed that epoch, so a newer ping epoch is established and is adopted. A ping from an
     * older epoch, or from a second primary claiming this epoch, is refused as stale: the pinger learns
     * it was deposed. A ping this voter may not vouch for because it promised a newer epoch is refused
     * <em>without</em> the stale verdict: the promised epoch may never win, so it must not fence.
     */
    public PingVerdict onPing(long pingEpoch, String pingPrimary) {
        VoterState next = this;
        if (pingEpoch > epoch) {
            next = new VoterState(pingEpoch, pingPrimary, votedEpoch, votedFor);
        } else if (pingEpoch < epoch || !primaryRegion.equals(pingPrimary)) {
            return new PingVerdict(PingVerdict.Kind.REFUSE_STALE, this);
        }
        if (votedEpoch > pingEpoch) {
            return new PingVerdict(PingVerdict.Kind.REFUSE_PROMISED, next);
        }
        return new PingVerdict(PingVerdict.Kind.VOUCH, next);
    }

    /** The state after learning that {@code newEpoch} was established with {@code newPrimary}. */
    public VoterState withEstablished(long newEpoch, String newPrimary) {
        return newEpoch > epoch ? new VoterState(newEpoch, newPrimary, votedEpoch, votedFor) : this;
    }

    /** The highest epoch this voter has seen in any form; a new candidacy must ask for more than it. */
    public long highestEpochSeen() {
        return Math.max(epoch, votedEpoch);
    }

    @Override
    public String toString() {
        return "VoterState{epoch=" + epoch + ", primary=" + primaryRegion
                + (votedEpoch > 0 ? ", voted " + votedEpoch + " for " + votedFor : "") + '}';
    }
}
