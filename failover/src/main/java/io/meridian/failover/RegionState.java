package io.meridian.failover;

import java.util.Objects;

/**
 * The failover state one region agrees on through its Raft group.
 *
 * <p>Transitions are pure functions ({@link #advance}, {@link #withFence}) so that every replica of
 * the region's state machine applies a {@link RoleAction.ProposeEpoch} or {@link RoleAction.ProposeFence}
 * identically, including stale or duplicate proposals, which are no-ops.
 *
 * @param epoch           current epoch, starting at 1
 * @param primaryRegion   primary region of {@code epoch}
 * @param epochStartIndex first cluster-log index written in {@code epoch}
 * @param basis           last index the primary of {@code epoch} held when it was promoted; entries
 *                        after it on an older primary are that primary's divergent tail
 * @param fencedByEpoch   a higher epoch this region has heard of but not yet adopted, or 0; the
 *                        region is fenced while {@code fencedByEpoch > epoch}
 * @param votedEpoch      the highest epoch this region's voter promised to a candidate (0 when none);
 *                        a promise never fences, but a new candidacy must ask for a newer epoch
 * @param votedFor        the candidate promised {@code votedEpoch} ("" when none)
 */
public record RegionState(long epoch, String primaryRegion, long epochStartIndex, long basis, long fencedByEpoch,
                          long votedEpoch, String votedFor) {

    /** Epoch of a fresh cluster. */
    public static final long INITIAL_EPOCH = 1;

    public RegionState {
        Objects.requireNonNull(primaryRegion, "primaryRegion");
        Objects.requireNonNull(votedFor, "votedFor");
        if (epoch < INITIAL_EPOCH) {
            throw new IllegalArgumentException("epoch must be >= 1: " + epoch);
        }
        if (primaryRegion.isBlank()) {
            throw new IllegalArgumentException("primaryRegion must not be blank");
        }
        if (basis < 0 || epochStartIndex < 1 || fencedByEpoch < 0 || votedEpoch < 0) {
            throw new IllegalArgumentException("negative index or epoch in " + epoch + "/" + primaryRegion
                    + " start=" + epochStartIndex + " basis=" + basis + " fencedBy=" + fencedByEpoch);
        }
    }

    /** A state with no vote promised. */
    public RegionState(long epoch, String primaryRegion, long epochStartIndex, long basis, long fencedByEpoch) {
        this(epoch, primaryRegion, epochStartIndex, basis, fencedByEpoch, 0, "");
    }

    /** Epoch 1 with the configured initial primary; the cluster log starts at index 1. */
    public static RegionState initial(String initialPrimary) {
        return new RegionState(INITIAL_EPOCH, initialPrimary, 1, 0, 0);
    }

    /** True when this region knows of an epoch newer than the one it follows. */
    public boolean isFenced() {
        return fencedByEpoch > epoch;
    }

    /** The newest epoch this region knows exists. */
    public long highestKnownEpoch() {
        return Math.max(epoch, fencedByEpoch);
    }

    /**
     * The state after a committed {@link RoleAction.ProposeEpoch}. A proposal for an epoch that is
     * not newer than the current one lost a race and changes nothing.
     */
    public RegionState advance(long newEpoch, String newPrimary, long newBasis) {
        if (newEpoch <= epoch) {
            return this;
        }
        return new RegionState(newEpoch, newPrimary, newBasis + 1, newBasis, fencedByEpoch, votedEpoch, votedFor);
    }

    /** The state after a committed {@link RoleAction.ProposeFence}; older fences change nothing. */
    public RegionState withFence(long higherEpoch) {
        if (higherEpoch <= highestKnownEpoch()) {
            return this;
        }
        return new RegionState(epoch, primaryRegion, epochStartIndex, basis, higherEpoch, votedEpoch, votedFor);
    }
}
