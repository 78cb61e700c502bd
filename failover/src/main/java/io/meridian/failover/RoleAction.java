package io.meridian.failover;

import java.util.List;

/**
 * Something the {@link RoleMachine} needs its host to do: send a message or propose a change to the
 * region's Raft group. Actions are queued and collected with {@link RoleMachine#drainActions()}.
 */
public sealed interface RoleAction {

    /**
     * Send a lease ping for {@code epoch} to every other voter. Each voter answers through its
     * {@link VoterState#onPing}; a vouch comes back to {@link RoleMachine#onPong} echoing
     * {@code sentNanos}, a refusal to {@link RoleMachine#onHigherEpoch}.
     */
    record SendPings(long epoch, String primaryRegion, long sentNanos) implements RoleAction {
    }

    /**
     * Record in the region's Raft state that {@code epoch} exists ({@link RegionState#withFence}),
     * so the fence survives restarts and leader changes.
     */
    record ProposeFence(long epoch, String primaryRegion) implements RoleAction {
    }

    /**
     * Propose the epoch change to the region's Raft group ({@link RegionState#advance}); the change
     * takes effect when it comes back through {@link RoleMachine#onRegionState}.
     */
    record ProposeEpoch(long epoch, String primaryRegion, long basis) implements RoleAction {
    }

    /**
     * Switchover is draining: report the target's acknowledged index through
     * {@link RoleMachine#onRemoteAck}. Re-issued when the drain index moves.
     */
    record AwaitTargetAck(String target, long drainIndex) implements RoleAction {
    }

    /** The switchover stopped before its epoch was proposed, or was superseded; writes resume if possible. */
    record SwitchoverAborted(String reason) implements RoleAction {
    }

    /** The target became primary; this region now follows it. */
    record SwitchoverCompleted(long epoch, String newPrimary, long elapsedNanos) implements RoleAction {
    }

    /**
     * Ask each listed voter, this region included (the self grant), to grant {@code epoch} to
     * {@code candidate} through {@link VoterState#onVote}, and report each answer through
     * {@link RoleMachine#onVote}. Every voter, the own region included, must persist its promise before
     * its grant is reported: from then on it refuses to vouch for the old primary, which is what lets
     * the old lease run out. Re-issued, for the voters that have not answered, until the vote deadline:
     * requests and replies travel over UDP and the first ones to a new peer are often lost.
     */
    record RequestVotes(long epoch, String candidate, List<String> voters) implements RoleAction {
        public RequestVotes {
            voters = List.copyOf(voters);
        }
    }

    /** The promotion will not happen (refused votes, timeout, lost leadership or superseded). */
    record PromotionFailed(String reason) implements RoleAction {
    }

    /**
     * A voter refused this candidacy because it already granted the epoch to {@code winner}: the
     * promotion failed and the refusal names who won.
     */
    record PromotionLost(long epoch, String winner, String reason) implements RoleAction {
    }

    /** This region became primary of {@code epoch}. */
    record PromotionCompleted(long epoch, long elapsedNanos) implements RoleAction {
    }
}
