package io.meridian.failover;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lease side of a {@link RoleMachine}: whether this node pings for the primary's lease, since
 * when (its tenure), when the next ping is due, and whether the lease held at the latest input.
 *
 * <p>A tenure begins when this node becomes the Raft leader of the unfenced primary region, or when
 * the epoch changes under it; vouches given to an earlier leader or epoch never count in a new one.
 * The {@link RoleMachine} decides <em>whether</em> to ping ({@link #update}); this class decides
 * what a pong is worth and when the next ping leaves.
 *
 * <p>Pure and not thread-safe, like its owner. With the lease disabled it never pings and every
 * query answers as if no lease were needed ({@link #enabled()} is false).
 */
final class LeaseTenure {

    private final String region;
    private final Voters voters;
    private final long pingIntervalNanos;
    private final LeaseTracker lease; // null: the lease is disabled

    private boolean pinging;
    private long epoch;
    private long startNanos;
    private long nextPingNanos;
    private boolean held;

    LeaseTenure(String region, Voters voters, FailoverConfig config) {
        this.region = region;
        this.voters = voters;
        this.pingIntervalNanos = config.pingIntervalNanos();
        this.lease = config.leaseEnabled() ? new LeaseTracker(region, voters.all(), config.leaseNanos()) : null;
    }

    boolean enabled() {
        return lease != null;
    }

    /**
     * Re-derives the tenure after an input of the role machine.
     *
     * @param shouldPing whether this node should now ping (leader of the unfenced primary region)
     * @param epoch      the region's current epoch: a change starts a new tenure
     * @return the pings due now, or {@code null}
     */
    RoleAction.SendPings update(boolean shouldPing, long epoch, long nowNanos) {
        RoleAction.SendPings due = null;
        if (lease != null) {
            if (shouldPing && (!pinging || this.epoch != epoch)) {
                lease.reset();
                pinging = true;
                this.epoch = epoch;
                startNanos = nowNanos;
                nextPingNanos = nowNanos;
            } else if (!shouldPing && pinging) {
                lease.reset();
                pinging = false;
            }
            if (pinging && nowNanos - nextPingNanos >= 0) {
                due = new RoleAction.SendPings(epoch, region, nowNanos);
                nextPingNanos = nowNanos + pingIntervalNanos;
            }
        }
        held = pinging && lease.holds(nowNanos);
        return due;
    }

    /** A voter vouched for the ping sent at {@code echoedSentNanos}. */
    void onPong(String voter, long echoedSentNanos, long nowNanos) {
        // Echoes from before this tenure vouched for an earlier leader or epoch; echoes from the future are bogus.
        if (pinging && echoedSentNanos - startNanos >= 0 && echoedSentNanos - nowNanos <= 0) {
            lease.onPong(voter, echoedSentNanos);
        }
    }

    /** Whether the lease held at the latest {@link #update}. */
    boolean held() {
        return held;
    }

    /** Whether the lease holds at {@code nowNanos} (false when not pinging). */
    boolean holds(long nowNanos) {
        return pinging && lease.holds(nowNanos);
    }

    /** Whether a majority vouched in this tenure (false when not pinging). */
    boolean hasQuorumOfVouches() {
        return pinging && lease.hasQuorumOfVouches();
    }

    /** See {@link LeaseTracker#expiresAtNanos()}; only meaningful with {@link #hasQuorumOfVouches()}. */
    long expiresAtNanos() {
        return lease.expiresAtNanos();
    }

    int majority() {
        return lease.majority();
    }

    /** See {@link RoleMachine#vouchAgesNanos(long)}. */
    Map<String, Long> vouchAgesNanos(long nowNanos) {
        final Map<String, Long> ages = new LinkedHashMap<>();
        if (!pinging) {
            return ages;
        }
        for (final String voter : voters.all()) {
            if (!voter.equals(region)) {
                final long sent = lease.vouchedSentNanos(voter);
                ages.put(voter, nowNanos - (sent == Long.MIN_VALUE ? startNanos : sent));
            }
        }
        return ages;
    }
}
