package io.meridian.failover;

/**
 * An immutable picture of what a {@link RoleMachine} decided as of its latest input, published so that
 * client threads can admit writes, serve reads and guard acknowledgements without taking a lock: only
 * the lease depends on the time of the question, and it is evaluated at that time.
 *
 * <p>The lease expiry is a lower bound: vouches arriving later can only extend it, so a reader holding
 * an older view never believes in a lease longer than the one really held.
 *
 * @param refusal        the refusal that applies regardless of time, or {@code null}
 * @param epoch          the region's epoch as of the view
 * @param leaseRequired  true when writes and reads need the lease (leases enabled, this node leads
 *                       the primary region and admits writes, or drains them for a switchover)
 * @param leaseExpiresAtNanos when the lease runs out unless renewed; meaningful only when
 *                       {@code leaseQuorum} is true
 * @param leaseQuorum    true when a majority of voters has vouched in this tenure
 * @param leaseMessage   the refusal text used when the lease does not hold
 */
public record AdmissionView(WriteAdmission refusal, long epoch, boolean leaseRequired, long leaseExpiresAtNanos,
                            boolean leaseQuorum, String leaseMessage) {

    /** Whether a write (or a linearizable read) may proceed at {@code nowNanos}. */
    public WriteAdmission admission(long nowNanos) {
        if (refusal != null) {
            return refusal;
        }
        if (!leaseHeldAt(nowNanos)) {
            return WriteAdmission.refused(Refusal.LEASE_EXPIRED, leaseMessage);
        }
        return WriteAdmission.ADMIT;
    }

    /**
     * True when no lease is needed, or the lease held at {@code nowNanos}. A write that completes at
     * {@code nowNanos} committed no later than that, so a lease held now held at its commit.
     */
    public boolean leaseHeldAt(long nowNanos) {
        if (!leaseRequired) {
            return true;
        }
        if (!leaseQuorum) {
            return false;
        }
        return leaseExpiresAtNanos == Long.MAX_VALUE || nowNanos - leaseExpiresAtNanos < 0;
    }
}
