package io.meridian.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-node role, epoch and fencing decisions for one region: whether writes are admitted, when to
 * ping for the lease, and how switchovers and promotions proceed.
 *
 * <p>Pure: no I/O, threads or clocks. Every input carries {@code nowNanos} from one monotonic clock
 * ({@link System#nanoTime()} style). Outputs are {@link RoleAction}s queued by the inputs and collected
 * with {@link #drainActions()}; the host performs them (messages, Raft proposals) and feeds results
 * back as inputs. Not thread-safe: drive it from one thread, e.g. the region's failover agent.
 *
 * <p>Its parts: the lease ({@link LeaseTenure}: pings, vouches, whether the lease holds) and the two
 * sub-machines a leader may run, one planned {@link SwitchoverProcess} or one {@link PromotionProcess};
 * this class routes inputs to them, keeps the epoch and fencing knowledge, and derives admission.
 *
 * <p>Host obligations:
 * <ul>
 *   <li>{@link #onRegionState} for every applied change of the region's replicated {@link RegionState};</li>
 *   <li>{@link #onHigherEpoch} for every newer epoch seen anywhere (frames, ping refusals, votes, and
 *       the own region's {@link VoterState} adopting another candidate);</li>
 *   <li>{@link #tick} regularly, at least every {@link FailoverConfig#pingIntervalNanos()}.</li>
 * </ul>
 */
public final class RoleMachine {

    private final String region;
    private final Voters voters;
    private final FailoverConfig config;
    private final LeaseTenure tenure;
    private final AdmissionViews views;
    private final List<RoleAction> actions = new ArrayList<>();

    private RegionState state;
    private boolean leader;
    private long heardEpoch;
    private String heardPrimary;
    private SwitchoverProcess switchover;
    private PromotionProcess promotion;

    /**
     * @param region  this node's region, one of {@code voters.regions()}
     * @param voters  every data region plus the optional witness
     * @param config  timing; concluded here if it was not already
     * @param initial the region's replicated state as currently known
     */
    public RoleMachine(String region, Voters voters, FailoverConfig config, RegionState initial) {
        this.region = Objects.requireNonNull(region, "region");
        this.voters = Objects.requireNonNull(voters, "voters");
        this.config = config.conclude();
        this.state = Objects.requireNonNull(initial, "initial");
        if (!voters.isDataRegion(region)) {
            throw new IllegalArgumentException("region '" + region + "' is not one of the data regions " + voters.regions());
        }
        this.tenure = new LeaseTenure(region, voters, this.config);
        this.views = new AdmissionViews(region, voters.size(), this.config.leaseNanos());
    }

    /** The region's replicated state changed (applied from Raft). Older epochs are ignored. */
    public void onRegionState(RegionState newState, long nowNanos) {
        if (newState.epoch() < state.epoch()) {
            return;
        }
        state = newState;
        final RoleAction switchoverOutcome = switchover == null ? null : switchover.outcome(newState, nowNanos);
        if (switchoverOutcome != null) {
            actions.add(switchoverOutcome);
            switchover = null;
        }
        final RoleAction promotionOutcome = promotion == null ? null : promotion.outcome(newState, nowNanos);
        if (promotionOutcome != null) {
            actions.add(promotionOutcome);
            promotion = null;
        }
        afterInput(nowNanos);
    }

    /** This node gained or lost Raft leadership of its region. */
    public void onLeadership(boolean isRaftLeader, long nowNanos) {
        if (isRaftLeader == leader) {
            return;
        }
        leader = isRaftLeader;
        if (!leader) {
            if (switchover != null) {
                actions.add(new RoleAction.SwitchoverAborted(switchover.proposed()
                        ? "lost Raft leadership after proposing epoch " + switchover.epoch() + "; the replicated state decides the outcome"
                        : "lost Raft leadership while draining"));
                switchover = null;
            }
            if (promotion != null) {
                actions.add(new RoleAction.PromotionFailed("lost Raft leadership"));
                promotion = null;
            }
        } else if (heardEpoch > state.highestKnownEpoch()) {
            // Learned while following; only a leader can make the region remember it.
            actions.add(new RoleAction.ProposeFence(heardEpoch, heardPrimary));
        }
        afterInput(nowNanos);
    }

    /** A voter vouched for the ping sent at {@code echoedSentNanos}. */
    public void onPong(String voter, long echoedSentNanos, long nowNanos) {
        tenure.onPong(voter, echoedSentNanos, nowNanos);
        afterInput(nowNanos);
    }

    /** Time passes: pings, switchover and vote timeouts, the promotion's lease wait. */
    public void tick(long nowNanos) {
        if (switchover != null) {
            final String reason = switchover.timedOut(nowNanos);
            if (reason != null) {
                actions.add(new RoleAction.SwitchoverAborted(reason));
                switchover = null;
            }
        }
        if (promotion != null) {
            actions.addAll(promotion.tick(nowNanos));
            dropFailedPromotion();
        }
        afterInput(nowNanos);
    }

    /**
     * A newer epoch exists (learned from any frame or peer): this region is fenced at once and the
     * leader proposes to record the fence so it survives restarts and leader changes.
     */
    public void onHigherEpoch(long epoch, String primary, long nowNanos) {
        if (promotion != null && epoch == promotion.epoch() && primary.equals(region)) {
            return; // our own candidacy echoed back
        }
        if (epoch <= Math.max(state.highestKnownEpoch(), heardEpoch)) {
            return;
        }
        heardEpoch = epoch;
        heardPrimary = primary;
        if (leader) {
            actions.add(new RoleAction.ProposeFence(epoch, primary));
        }
        if (switchover != null && !(switchover.proposed() && epoch == switchover.epoch() && primary.equals(switchover.target()))) {
            actions.add(new RoleAction.SwitchoverAborted("deposed by epoch " + epoch + " (primary " + primary + ")"));
            switchover = null;
        }
        if (promotion != null && epoch >= promotion.epoch()) {
            actions.add(new RoleAction.PromotionFailed("superseded by epoch " + epoch + " (primary " + primary + ")"));
            promotion = null;
        }
        afterInput(nowNanos);
    }

    /**
     * Starts a planned switchover to {@code target} on the primary region's leader: writes pause with
     * {@link Refusal#SWITCHING}, and once the host confirmed the final drain index
     * ({@link #onDrainIndex}) and the target acknowledged it ({@link #onRemoteAck}), the next epoch is
     * proposed with that index as basis.
     *
     * @param lastIndex the last committed index now; in-flight writes may still raise it
     */
    public CommandResult requestSwitchover(String target, long lastIndex, long nowNanos) {
        final String refusal = switchoverRefusal(target, nowNanos);
        if (refusal != null) {
            return CommandResult.refused(refusal);
        }
        switchover = new SwitchoverProcess(target, state.epoch() + 1, lastIndex, nowNanos, config.switchoverTimeoutNanos());
        actions.add(switchover.start());
        afterInput(nowNanos);
        return CommandResult.ok();
    }

    /** Final drain index of a switchover: every write admitted before it began has committed up to here. */
    public void onDrainIndex(long index) {
        if (switchover != null) {
            actions.addAll(switchover.onDrainIndex(index));
        }
    }

    /** A remote region acknowledged holding the cluster log up to {@code ackedIndex}. */
    public void onRemoteAck(String remoteRegion, long ackedIndex, long nowNanos) {
        if (switchover != null) {
            actions.addAll(switchover.onRemoteAck(remoteRegion, ackedIndex));
        }
        afterInput(nowNanos);
    }

    /**
     * Starts promoting this secondary region on its leader.
     *
     * @param allowDataLoss promote even though entries the primary committed may be missing here
     * @param lagEntries    how far this region is behind the primary, -1 when unknown (primary silent)
     * @param lastIndex     the last index this region holds: the new epoch's basis
     */
    public CommandResult requestPromotion(boolean allowDataLoss, long lagEntries, long lastIndex, long nowNanos) {
        if (lastIndex < 0) {
            throw new IllegalArgumentException("lastIndex must be >= 0: " + lastIndex);
        }
        final String refusal = promotionRefusal(allowDataLoss, lagEntries);
        if (refusal != null) {
            return CommandResult.refused(refusal);
        }
        // Above every epoch seen in any form, promises included: a promise for epoch E binds this
        // region's own voter to someone else, so asking for E again could never gather its self grant.
        final long epoch = Math.max(Math.max(state.highestKnownEpoch(), heardEpoch), state.votedEpoch()) + 1;
        promotion = new PromotionProcess(region, epoch, lastIndex, voters, config, nowNanos);
        actions.add(promotion.start());
        afterInput(nowNanos);
        return CommandResult.ok();
    }

    /** A voter's answer to {@link RoleAction.RequestVotes}, this region's own included. */
    public void onVote(String voter, long epoch, boolean granted, long nowNanos) {
        onVote(voter, epoch, granted, "", nowNanos);
    }

    /**
     * A voter's answer to {@link RoleAction.RequestVotes}, this region's own included.
     *
     * @param holder on a denial, the candidate the voter granted this epoch to instead ("" if none)
     */
    public void onVote(String voter, long epoch, boolean granted, String holder, long nowNanos) {
        if (promotion != null) {
            actions.addAll(promotion.onVote(voter, epoch, granted, holder, nowNanos));
            dropFailedPromotion();
            // The lease wait may already be over if the grant arrived late in a tick interval.
            actions.addAll(promotion == null ? List.of() : promotion.tick(nowNanos));
        }
        afterInput(nowNanos);
    }

    /**
     * True unless this region's own candidacy for {@code epoch} has gathered a majority: until then it
     * may yield its self grant to a rival candidate (see {@link VoterState#onVote(long, String, String, boolean)}).
     */
    public boolean mayYield(long epoch) {
        return promotion == null || promotion.epoch() != epoch || promotion.phase() == PromotionProcess.Phase.VOTING;
    }

    /** Whether a write may be proposed at {@code nowNanos}; the lease is checked at that instant. */
    public WriteAdmission admission(long nowNanos) {
        return view().admission(nowNanos);
    }

    /**
     * What this machine decided as of its latest input, for lock-free use on other threads (see
     * {@link AdmissionView}). Take it after every input and publish it.
     */
    public AdmissionView view() {
        return views.of(state, leader, heardEpoch, heardPrimary, switchover, promotion, tenure);
    }

    /** The role as of the latest input (the lease is evaluated at that input's time). */
    public Role role() {
        if (isPrimaryRegion()) {
            if (isFenced()) {
                return Role.FENCED_PRIMARY;
            }
            if (switchover != null) {
                return Role.SWITCHING;
            }
            return leader && tenure.enabled() && !tenure.held() ? Role.FENCED_PRIMARY : Role.PRIMARY;
        }
        return promotion != null ? Role.PROMOTING : Role.SECONDARY;
    }

    /**
     * While this node pings for the primary's lease: per other voter, nanoseconds since the send time
     * of the newest ping it vouched for, or since this tenure began if it has not vouched yet (so a
     * voter that never answers still shows up, with a growing age). Empty when not pinging. For
     * monitoring (e.g. an unreachable witness shows long before the lease is lost), never for decisions.
     */
    public Map<String, Long> vouchAgesNanos(long nowNanos) {
        return tenure.vouchAgesNanos(nowNanos);
    }

    /** Removes and returns the actions queued since the last call, oldest first. */
    public List<RoleAction> drainActions() {
        if (actions.isEmpty()) {
            return List.of(); // the common case, every duty cycle: no garbage
        }
        final List<RoleAction> drained = List.copyOf(actions);
        actions.clear();
        return drained;
    }

    public RegionState regionState() {
        return state;
    }

    public boolean isLeader() {
        return leader;
    }

    public String region() {
        return region;
    }

    private boolean isPrimaryRegion() {
        return state.primaryRegion().equals(region);
    }

    private long highestEpoch() {
        return Math.max(state.highestKnownEpoch(), heardEpoch);
    }

    private boolean isFenced() {
        return highestEpoch() > state.epoch();
    }

    private void dropFailedPromotion() {
        if (promotion != null && promotion.failed()) {
            promotion = null;
        }
    }

    private String switchoverRefusal(String target, long nowNanos) {
        if (!isPrimaryRegion()) {
            return "region " + region + " is not primary; primary is " + state.primaryRegion() + " (epoch " + state.epoch() + ")";
        }
        if (!leader) {
            return "this node is not the Raft leader of region " + region;
        }
        if (isFenced()) {
            return "region " + region + " is fenced by epoch " + highestEpoch();
        }
        if (switchover != null) {
            return "switchover to " + switchover.target() + " already in progress";
        }
        if (target.equals(region) || !voters.isDataRegion(target)) {
            return "'" + target + "' is not another data region (regions: " + voters.regions() + ")";
        }
        if (tenure.enabled() && !tenure.holds(nowNanos)) {
            return "primary " + region + " holds no lease; it cannot hand over what it may already have lost";
        }
        return null;
    }

    private String promotionRefusal(boolean allowDataLoss, long lagEntries) {
        if (isPrimaryRegion()) {
            return "region " + region + " is already primary (epoch " + state.epoch() + ")";
        }
        if (!leader) {
            return "this node is not the Raft leader of region " + region;
        }
        if (promotion != null) {
            return "promotion to epoch " + promotion.epoch() + " already in progress";
        }
        if (!allowDataLoss && lagEntries != 0) {
            final String lag = lagEntries < 0
                    ? "region " + region + " lag is unknown (primary " + state.primaryRegion() + " silent)"
                    : "region " + region + " is " + lagEntries + " entries behind primary " + state.primaryRegion();
            return lag + "; pass allowDataLoss=true to promote anyway";
        }
        return null;
    }

    /** Re-derives the lease tenure after every input: pings while leading the unfenced primary region. */
    private void afterInput(long nowNanos) {
        final RoleAction.SendPings ping = tenure.update(leader && isPrimaryRegion() && !isFenced(), state.epoch(), nowNanos);
        if (ping != null) {
            actions.add(ping);
        }
    }
}
