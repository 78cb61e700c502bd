package io.meridian.failover;

/**
 * Builds a {@link RoleMachine}'s {@link AdmissionView} from its inputs, and rebuilds it only when one
 * of them changed. The failover agent takes a view after every duty cycle, thousands of times a
 * second on every node, and a view carries refusal texts: building them each time made this the
 * largest source of garbage in a steady run (about half of all bytes allocated), and the GC pauses
 * it caused showed up in the replication lag's tail.
 *
 * <p>Pure and single-threaded, like the machine that owns it. Identity comparisons suffice for the
 * object inputs: {@link RegionState} is an immutable record replaced on change, and a switchover or
 * promotion is a new process object whose target and epoch never change.
 */
final class AdmissionViews {

    private final String region;
    private final int voterCount;
    private final long leaseMillis;

    private AdmissionView view;
    private RegionState state;
    private boolean leader;
    private long heardEpoch;
    private String heardPrimary;
    private SwitchoverProcess switchover;
    private PromotionProcess promotion;
    private boolean leaseEnabled;
    private int majority;
    private boolean quorum;
    private long expiresAtNanos;

    AdmissionViews(String region, int voterCount, long leaseNanos) {
        this.region = region;
        this.voterCount = voterCount;
        this.leaseMillis = leaseNanos / 1_000_000;
    }

    /** The view for these inputs: the previous one when nothing changed, else a new one. */
    AdmissionView of(RegionState state, boolean leader, long heardEpoch, String heardPrimary,
                     SwitchoverProcess switchover, PromotionProcess promotion, LeaseTenure tenure) {
        final boolean leaseEnabled = tenure.enabled();
        final int majority = leaseEnabled ? tenure.majority() : 0;
        final boolean quorum = leaseEnabled && tenure.hasQuorumOfVouches();
        final long expiresAtNanos = quorum ? tenure.expiresAtNanos() : 0;
        if (view != null && state == this.state && leader == this.leader && heardEpoch == this.heardEpoch
                && heardPrimary == this.heardPrimary && switchover == this.switchover && promotion == this.promotion
                && leaseEnabled == this.leaseEnabled && majority == this.majority && quorum == this.quorum
                && expiresAtNanos == this.expiresAtNanos) {
            return view;
        }
        this.state = state;
        this.leader = leader;
        this.heardEpoch = heardEpoch;
        this.heardPrimary = heardPrimary;
        this.switchover = switchover;
        this.promotion = promotion;
        this.leaseEnabled = leaseEnabled;
        this.majority = majority;
        this.quorum = quorum;
        this.expiresAtNanos = expiresAtNanos;
        view = build();
        return view;
    }

    private AdmissionView build() {
        final WriteAdmission fixed = fixedAdmission();
        // A switchover's drain refuses new writes but still serves reads and acknowledges the writes
        // it drains: those need the lease as much as ever (a drain can last until the switchover times
        // out, long enough for another region to be promoted meanwhile).
        final boolean leaseRequired = leaseEnabled && (fixed == null || fixed.refusal() == Refusal.SWITCHING);
        final boolean held = leaseRequired && quorum;
        final String leaseMessage = !leaseEnabled ? "" : "primary " + region + " (epoch " + state.epoch()
                + ") has no lease: fewer than " + majority + " of " + voterCount
                + " voters vouched within the last " + leaseMillis + "ms; retry shortly";
        return new AdmissionView(fixed, state.epoch(), leaseRequired, held ? expiresAtNanos : 0, held, leaseMessage);
    }

    /** The refusal that holds whatever the time, or {@code null} when only the lease is left to check. */
    private WriteAdmission fixedAdmission() {
        final String where = "primary is " + state.primaryRegion() + " (epoch " + state.epoch() + ")";
        if (!state.primaryRegion().equals(region)) {
            if (promotion != null) {
                return WriteAdmission.refused(Refusal.PROMOTING, "region " + region + " is being promoted to primary of epoch "
                        + promotion.epoch() + "; " + where);
            }
            return WriteAdmission.refused(Refusal.NOT_PRIMARY, "region " + region + " is not primary; " + where);
        }
        final long highest = Math.max(state.highestKnownEpoch(), heardEpoch);
        if (highest > state.epoch()) {
            return WriteAdmission.refused(Refusal.FENCED, "region " + region + " was primary of epoch " + state.epoch()
                    + " but epoch " + highest + " exists" + (heardEpoch == highest ? " (primary " + heardPrimary + ")" : ""));
        }
        if (!leader) {
            return WriteAdmission.refused(Refusal.NOT_LEADER, "this node is not the Raft leader of region " + region + "; " + where);
        }
        if (switchover != null) {
            return WriteAdmission.refused(Refusal.SWITCHING, "switchover from " + region + " to " + switchover.target()
                    + " in progress (epoch " + state.epoch() + " -> " + switchover.epoch() + "); retry shortly");
        }
        return null;
    }
}
