package io.meridian.failover;

import java.util.Objects;

/**
 * What a voter (a data region or the witness) remembers to answer lease pings and promotion votes:
 * the highest epoch it adopted and that epoch's primary.
 *
 * <p>Adopting a newer epoch is the voter's promise never to vouch for an older primary again; that
 * promise is what lets a promoter wait out the old primary's lease. The caller must therefore persist
 * ({@link #epoch()}, {@link #primaryRegion()}) durably — for a region, through its Raft group — before
 * it answers a ping or vote that changed them. Not thread-safe.
 */
public final class VoterState {

    private long epoch;
    private String primaryRegion;

    /** Restores persisted state, or starts at epoch 1 with the configured initial primary. */
    public VoterState(long epoch, String primaryRegion) {
        if (epoch < RegionState.INITIAL_EPOCH) {
            throw new IllegalArgumentException("epoch must be >= 1: " + epoch);
        }
        this.epoch = epoch;
        this.primaryRegion = Objects.requireNonNull(primaryRegion, "primaryRegion");
    }

    public static VoterState initial(String initialPrimary) {
        return new VoterState(RegionState.INITIAL_EPOCH, initialPrimary);
    }

    /**
     * Answers a lease ping from the primary of {@code pingEpoch}. A ping from a newer epoch is adopted:
     * the pinger only pings once its own region committed that epoch, so the epoch is established.
     * A ping from an older epoch, or a second primary claiming the same epoch, is refused with the
     * adopted epoch so the pinger learns it was deposed.
     */
    public PingVerdict onPing(long pingEpoch, String pingPrimary) {
        if (pingEpoch > epoch) {
            epoch = pingEpoch;
            primaryRegion = pingPrimary;
            return new PingVerdict(true, epoch, primaryRegion, true);
        }
        final boolean vouch = pingEpoch == epoch && primaryRegion.equals(pingPrimary);
        return new PingVerdict(vouch, epoch, primaryRegion, false);
    }

    /**
     * A vote request or epoch announcement: adopt {@code newEpoch} with {@code newPrimary}.
     *
     * @return true (vote granted) when the epoch is newer, or is the one already adopted with the same
     *         primary, so a retried request gets the same answer
     */
    public boolean onAdopt(long newEpoch, String newPrimary) {
        if (newEpoch > epoch) {
            epoch = newEpoch;
            primaryRegion = newPrimary;
            return true;
        }
        return newEpoch == epoch && primaryRegion.equals(newPrimary);
    }

    public long epoch() {
        return epoch;
    }

    public String primaryRegion() {
        return primaryRegion;
    }

    @Override
    public String toString() {
        return "VoterState{epoch=" + epoch + ", primary=" + primaryRegion + '}';
    }
}
