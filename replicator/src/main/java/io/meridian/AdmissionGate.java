package io.meridian;

import io.meridian.failover.AdmissionView;
import io.meridian.failover.Refusal;
import io.meridian.raft.ClusterState;
import io.meridian.raft.RegionNode;

/**
 * Admission, linearizable reads and acknowledgements on client threads, without a lock: each reads the
 * {@link AdmissionView} the failover agent last published and evaluates the lease at that instant.
 * The view's lease expiry can only be older than the truth, never later (see {@link AdmissionView}).
 */
final class AdmissionGate implements WriteAdmission {

    private final NodeRuntime runtime;
    private final RegionNode node;
    private final String region;
    private final RegionLeaseProbe leaseProbe;
    private volatile AdmissionView view;

    AdmissionGate(NodeRuntime runtime, RegionLeaseProbe leaseProbe, AdmissionView initial) {
        this.runtime = runtime;
        this.node = runtime.regionNode();
        this.region = runtime.ctx().region();
        this.leaseProbe = leaseProbe;
        this.view = initial;
    }

    /** Agent or JRaft thread, after every input to the RoleMachine. */
    void publish(AdmissionView latest) {
        view = latest;
    }

    AdmissionView view() {
        return view;
    }

    @Override
    public void check() {
        runtime.checkSingleRegion();
        throwIfRefused(view.admission(System.nanoTime()));
    }

    /**
     * A linearizable read may be served only by the primary region's leader while it holds its lease
     * at the moment of serving: a deposed or cut-off primary could otherwise answer with values older
     * than writes the new primary has already acknowledged. Reads go on during a switchover's drain,
     * still under the lease.
     */
    @Override
    public void checkRead() {
        runtime.checkSingleRegion();
        AdmissionView v = view;
        long now = System.nanoTime();
        boolean draining = v.refusal() != null && v.refusal().refusal() == Refusal.SWITCHING;
        throwIfRefused(draining ? (v.leaseHeldAt(now) ? io.meridian.failover.WriteAdmission.ADMIT
                : io.meridian.failover.WriteAdmission.refused(Refusal.LEASE_EXPIRED, v.leaseMessage()))
                : v.admission(now));
    }

    /**
     * A write committed at {@code position} may be acknowledged only if this primary still held its lease
     * when it committed (now is later than the commit, so a lease held now held then); otherwise a new
     * primary may already be acknowledging writes, and this one may be lost: its outcome is unknown.
     */
    @Override
    public void checkAcknowledgement(Position position) {
        AdmissionView v = view;
        if (v.epoch() != position.epoch() || !v.leaseHeldAt(System.nanoTime())) {
            throw new OutcomeUnknownException("write committed at " + position + " but primary " + region
                    + " could not prove it still held its lease (epoch " + v.epoch() + "): a new primary may have "
                    + "taken over, so the write may be lost in a failover; its outcome is unknown");
        }
    }

    /**
     * Whether the primary region holds its lease at {@code nowNanos} as far as this node can tell: on
     * the leader, its own lease evaluated now (not as of the last tick: after a pause the agent thread
     * may not have run yet); on a follower, whether its leader confirmed it recently
     * ({@link RegionLeaseProbe}). A switchover's drain keeps the lease as it was.
     */
    boolean primaryLeaseHeldAt(long nowNanos) {
        if (!node.isLeader()) {
            return leaseProbe.leaderLeaseConfirmedAt(nowNanos);
        }
        AdmissionView v = view;
        boolean admitting = v.refusal() == null || v.refusal().refusal() == Refusal.SWITCHING;
        return admitting && v.leaseHeldAt(nowNanos);
    }

    /** True when this (leader) node may answer a follower's lease probe now. */
    boolean leaseHeldForProbe(long nowNanos) {
        AdmissionView v = view;
        return v.refusal() == null && v.leaseHeldAt(nowNanos);
    }

    private void throwIfRefused(io.meridian.failover.WriteAdmission admission) {
        if (admission.admitted()) {
            return;
        }
        ClusterState s = node.clusterState();
        throw switch (admission.refusal()) {
            case SWITCHING, PROMOTING -> new SwitchingException(admission.message());
            case LEASE_EXPIRED -> new LeaseUnavailableException(admission.message(), region, s.epoch());
            case FENCED -> new FencedException(admission.message(), s.knownEpoch());
            case NOT_PRIMARY -> new NotPrimaryException(admission.message(), s.knownPrimary(), s.knownEpoch());
            case NOT_LEADER -> new NotLeaderException(admission.message(), runtime.leaderNodeId(), node.leaderEndpoint());
        };
    }
}
