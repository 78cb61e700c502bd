package io.meridian;

import io.meridian.failover.AdmissionView;
import io.meridian.failover.FailoverConfig;
import io.meridian.failover.RegionState;
import io.meridian.failover.RoleAction;
import io.meridian.failover.RoleMachine;
import io.meridian.failover.Voters;
import io.meridian.failover.WriteAdmission;
import io.meridian.raft.ClusterState;
import io.meridian.raft.EpochChange;
import io.meridian.raft.Outcome;
import io.meridian.raft.RaftCommand;
import io.meridian.raft.RegionListener;
import io.meridian.raft.RegionNode;
import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.wal.WalEntry;
import io.meridian.xregion.CrossRegionAgent;
import io.meridian.xregion.CrossRegionListener;
import io.meridian.xregion.LagTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wires the pure {@link RoleMachine} to this node: feeds it the replicated state, leadership,
 * pongs, votes and acks, and carries out its actions (pings, Raft proposals, vote requests). It
 * also answers other regions' pings and vote requests, and drives rejoin (divergent-tail export,
 * image request and install). Every RoleMachine call holds this object's lock; none blocks.
 */
final class FailoverCoordinator implements CrossRegionListener, FailoverControl, RegionListener {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverCoordinator.class);
    private static final String WITNESS = "witness";
    private static final long PRIMARY_SILENT_NANOS = 1_000_000_000L;
    private static final long REJOIN_RETRY_NANOS = 5_000_000_000L;

    private final NodeRuntime runtime;
    private final RegionNode node;
    private final String region;
    private final ClusterTopology topology;
    private final RoleMachine machine;
    private final ImageTransfer images;
    private final RegionLeaseProbe leaseProbe;
    private volatile AdmissionView view;
    private final Map<String, LagTracker> inboundLag = new ConcurrentHashMap<>();
    private CrossRegionAgent agent;
    private CompletableFuture<Duration> switchoverFuture;
    private CompletableFuture<Position> promoteFuture;
    private volatile Position promotedAt;
    private volatile long lastPrimaryContactNanos;
    private volatile long highestIndexFromPrimary;
    private volatile long lastAppliedOriginMillis;
    private boolean rejoining;
    private long rejoinRequestedNanos;
    private String rejoinPrimaryEndpoint;
    private long rejoinEpoch;

    FailoverCoordinator(NodeRuntime runtime) {
        this.runtime = runtime;
        this.node = runtime.regionNode();
        this.region = runtime.ctx().region();
        this.topology = runtime.ctx().topology();
        CrossRegionSettings settings = runtime.ctx().crossRegion();
        FailoverConfig config = new FailoverConfig()
                .leaseNanos(settings.effectiveLease().toNanos())
                .leaseMarginNanos(settings.leaseMargin().toNanos())
                .switchoverTimeoutNanos(settings.switchoverTimeout().toNanos());
        Voters voters = topology.witnessEndpoint() == null ? Voters.of(topology.regionNames())
                : Voters.withWitness(topology.regionNames(), WITNESS);
        this.machine = new RoleMachine(region, voters, config, toRegionState(node.clusterState()));
        this.images = new ImageTransfer(node, settings.imageBytesPerSecond(),
                runtime.ctx().dataDir().resolve("images"), settings.maxImageBytes());
        this.leaseProbe = new RegionLeaseProbe(runtime, settings.effectiveLease().toNanos());
        this.view = machine.view();
    }

    ImageTransfer images() {
        return images;
    }

    void bind(CrossRegionAgent agent) {
        this.agent = agent;
    }

    static RegionState toRegionState(ClusterState s) {
        List<ClusterState.EpochStart> starts = s.epochStarts();
        long start = starts.isEmpty() ? 1 : Math.max(1, starts.get(starts.size() - 1).firstIndex());
        return new RegionState(s.epoch(), s.primaryRegion(), start, s.basis(), s.isFenced() ? s.fencedEpoch() : 0,
                s.votedEpoch(), s.votedFor());
    }

    // ---- admission (client threads) ----

    /** Write admission on a client thread: reads the published view, takes no lock. */
    void checkAdmission() {
        runtime.checkSingleRegion();
        WriteAdmission admission = view.admission(System.nanoTime());
        if (!admission.admitted()) {
            throw refusal(admission);
        }
    }

    /**
     * A linearizable read may be served only by the primary region's leader while it holds its lease
     * at the moment of serving: a deposed or cut-off primary could otherwise answer with values older
     * than writes the new primary has already acknowledged. Reads go on during a switchover's drain.
     */
    void checkRead() {
        runtime.checkSingleRegion();
        AdmissionView v = view;
        WriteAdmission admission = v.refusal() != null && v.refusal().refusal() == io.meridian.failover.Refusal.SWITCHING
                ? (v.leaseHeldAt(System.nanoTime()) ? WriteAdmission.ADMIT
                        : WriteAdmission.refused(io.meridian.failover.Refusal.LEASE_EXPIRED, v.leaseMessage()))
                : v.admission(System.nanoTime());
        if (!admission.admitted()) {
            throw refusal(admission);
        }
    }

    /**
     * A write committed at {@code position} may be acknowledged only if this primary still held its lease
     * when it committed (now is later than the commit, so a lease held now held then); otherwise a new
     * primary may already be acknowledging writes, and this one may be lost: its outcome is unknown.
     */
    void checkAcknowledgement(Position position) {
        AdmissionView v = view;
        long now = System.nanoTime();
        if (v.epoch() != position.epoch() || !v.leaseHeldAt(now)) {
            throw new OutcomeUnknownException("write committed at " + position + " but primary " + region
                    + " could not prove it still held its lease (epoch " + v.epoch() + "): a new primary may have "
                    + "taken over, so the write may be lost in a failover; its outcome is unknown");
        }
    }

    private MeridianException refusal(WriteAdmission admission) {
        ClusterState s = node.clusterState();
        return switch (admission.refusal()) {
            case SWITCHING, PROMOTING -> new SwitchingException(admission.message());
            case LEASE_EXPIRED -> new LeaseUnavailableException(admission.message(), region, s.epoch());
            case FENCED -> new FencedException(admission.message(), s.knownEpoch());
            case NOT_PRIMARY -> new NotPrimaryException(admission.message(), s.knownPrimary(), s.knownEpoch());
            case NOT_LEADER -> new NotLeaderException(admission.message(), runtime.leaderNodeId(), node.leaderEndpoint());
        };
    }

    /** True unless our own candidacy for {@code epoch} already gathered a majority (see VoterState). */
    synchronized boolean mayYield(long epoch) {
        return machine.mayYield(epoch);
    }

    /** The latest decisions, for status: the lease, and why writes are refused if they are. */
    AdmissionView view() {
        return view;
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
        boolean admitting = v.refusal() == null || v.refusal().refusal() == io.meridian.failover.Refusal.SWITCHING;
        return admitting && v.leaseHeldAt(nowNanos);
    }

    /** Per other voter, how long since it last vouched (see {@link RoleMachine#vouchAgesNanos}); for metrics. */
    synchronized Map<String, Long> vouchAgesNanos() {
        return machine.vouchAgesNanos(System.nanoTime());
    }

    synchronized boolean isFencedOrLeaseless() {
        return switch (machine.role()) {
            case FENCED_PRIMARY -> true;
            default -> false;
        };
    }

    // ---- API (caller threads) ----

    @Override
    public synchronized CompletableFuture<Duration> switchover(String targetRegion) {
        if (!topology.regionNames().contains(targetRegion)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown region '" + targetRegion
                    + "'; known: " + topology.regionNames()));
        }
        if (switchoverFuture != null && !switchoverFuture.isDone()) {
            return CompletableFuture.failedFuture(new PromotionRefusedException("a switchover is already running"));
        }
        var result = machine.requestSwitchover(targetRegion, node.clusterState().appliedIndex(), System.nanoTime());
        if (!result.accepted()) {
            return CompletableFuture.failedFuture(new PromotionRefusedException("switchover to " + targetRegion
                    + " refused: " + result.message()));
        }
        switchoverFuture = new CompletableFuture<>();
        LOG.info("{}: switchover to {} started; writes pause", region, targetRegion);
        CompletableFuture<Duration> f = switchoverFuture;
        execute();
        return f;
    }

    @Override
    public synchronized CompletableFuture<Position> promote(boolean allowDataLoss) {
        if (promoteFuture != null && !promoteFuture.isDone()) {
            return CompletableFuture.failedFuture(new PromotionRefusedException("a promotion is already running"));
        }
        ClusterState s = node.clusterState();
        if (!node.isLeader()) {
            return CompletableFuture.failedFuture(new NotLeaderException("promote must be called on the leader of region "
                    + region, runtime.leaderNodeId(), node.leaderEndpoint()));
        }
        long now = System.nanoTime();
        long lag = now - lastPrimaryContactNanos > PRIMARY_SILENT_NANOS ? -1
                : Math.max(0, highestIndexFromPrimary - s.appliedIndex());
        var result = machine.requestPromotion(allowDataLoss, lag, s.appliedIndex(), now);
        if (!result.accepted()) {
            return CompletableFuture.failedFuture(new PromotionRefusedException("promotion of " + region
                    + " refused: " + result.message()));
        }
        LOG.warn("{}: promotion started (allowDataLoss={}, lag={}, basis={})", region, allowDataLoss,
                lag < 0 ? "unknown" : lag, s.appliedIndex());
        promoteFuture = new CompletableFuture<>();
        CompletableFuture<Position> f = promoteFuture;
        execute();
        return f;
    }

    // ---- region events (JRaft threads) ----

    @Override
    public synchronized void onLeaderStart(long term) {
        machine.onLeadership(true, System.nanoTime());
        execute();
    }

    @Override
    public synchronized void onLeaderStop() {
        if (promoteFuture != null && !promoteFuture.isDone()) {
            // Retriable, unlike a refused vote: the region's next leader can run the promotion again.
            promoteFuture.completeExceptionally(new NotLeaderException("promotion of " + region
                    + " stopped: this node lost Raft leadership; call promote again on the new leader",
                    runtime.leaderNodeId(), node.leaderEndpoint()));
        }
        machine.onLeadership(false, System.nanoTime());
        rejoining = false;
        execute();
    }

    @Override
    public synchronized void onClusterStateChanged(ClusterState state) {
        machine.onRegionState(toRegionState(state), System.nanoTime());
        execute();
    }

    /**
     * The replication lag of this region right now, in ms: 0 when it has applied everything it knows
     * of (the leader: every entry received from the primary; a follower: every entry its region
     * committed), else the age of the last entry applied (commit at origin to now), an upper bound of
     * how far behind it is. The inbound percentiles describe the past; this is what `/status` shows.
     */
    long currentLagMillis() {
        ClusterState s = node.clusterState();
        if (s.isPrimary(region) || lastAppliedOriginMillis == 0) {
            return 0;
        }
        boolean pending = node.isLeader() ? highestIndexFromPrimary > s.appliedIndex()
                : node.commitRaftIndex() > node.appliedRaftIndex();
        return pending ? Math.max(0, System.currentTimeMillis() - lastAppliedOriginMillis) : 0;
    }

    @Override
    public void onApplied(List<WalEntry> entries, ClusterState state) {
        long now = System.currentTimeMillis();
        for (WalEntry e : entries) {
            if (!e.originRegion().equals(region)) {
                lastAppliedOriginMillis = e.timestampMillis();
                inboundLag.computeIfAbsent(e.originRegion(), LagTracker::new).recordLagMillis(Math.max(0, now - e.timestampMillis()));
            }
        }
    }

    Map<String, LagTracker> inboundLag() {
        return inboundLag;
    }

    void onHigherEpoch(long epoch, String primary) {
        synchronized (this) {
            machine.onHigherEpoch(epoch, primary == null || primary.isEmpty() ? "?" : primary, System.nanoTime());
            execute();
        }
    }

    // ---- agent thread ----

    @Override
    public void onBatchReceived(String senderRegion, long lastIndex) {
        if (senderRegion.equals(node.clusterState().primaryRegion())) {
            lastPrimaryContactNanos = System.nanoTime();
            highestIndexFromPrimary = Math.max(highestIndexFromPrimary, lastIndex);
        }
    }

    @Override
    public synchronized void onRemoteAcked(String remoteRegion, long ackedIndex) {
        machine.onRemoteAck(remoteRegion, ackedIndex, System.nanoTime());
        execute();
    }

    @Override
    public synchronized int doWork(long nowNanos) {
        machine.tick(nowNanos);
        if (machine.role() == io.meridian.failover.Role.SWITCHING && runtime.inFlightWrites() == 0) {
            machine.onDrainIndex(node.clusterState().appliedIndex());
        }
        if (rejoining && nowNanos - rejoinRequestedNanos > REJOIN_RETRY_NANOS && node.isLeader()) {
            requestImage(nowNanos);
        }
        int work = execute();
        work += images.doWork(nowNanos, agent::send);
        work += leaseProbe.doWork(agent, nowNanos);
        return work;
    }

    @Override
    public synchronized void onDiverged(String primaryRegion, String primaryEndpoint, long matchIndex, long primaryEpoch) {
        if (!node.isLeader()) {
            return;
        }
        machine.onHigherEpoch(primaryEpoch, primaryRegion, System.nanoTime());
        if (rejoining) {
            return;
        }
        ClusterState s = node.clusterState();
        try {
            Path dir = runtime.ctx().crossRegion().divergentTailDir() != null
                    ? Path.of(runtime.ctx().crossRegion().divergentTailDir())
                    : runtime.ctx().dataDir().resolve("divergent");
            Path file = DivergentTailExporter.export(runtime.wal(), matchIndex, primaryEpoch, dir);
            LOG.warn("{}: log diverged from primary {} after index {} (this region holds up to {}); divergent tail {}; "
                    + "rewinding to the primary's state", region, primaryRegion, matchIndex, s.appliedIndex(),
                    file == null ? "empty (WAL released)" : "exported to " + file);
        } catch (Exception e) {
            LOG.error("{}: cannot export the divergent tail; not rewinding", region, e);
            return;
        }
        rejoining = true;
        rejoinPrimaryEndpoint = primaryEndpoint;
        rejoinEpoch = primaryEpoch;
        requestImage(System.nanoTime());
        execute();
    }

    private void requestImage(long nowNanos) {
        rejoinRequestedNanos = nowNanos;
        try {
            images.expectImage();
        } catch (java.io.IOException e) {
            LOG.warn("{}: cannot create a file for the incoming image: {}; retrying later", region, e.toString());
            return;
        }
        agent.enqueue(rejoinPrimaryEndpoint, new Message.ImageRequest("", rejoinEpoch));
    }

    @Override
    public void onOtherMessage(Envelope env) {
        Message m = env.message();
        if (m instanceof Message.Ping p && leaseProbe.isOwnRegion(env)) {
            AdmissionView v = view;
            leaseProbe.answer(agent, env, p, v.refusal() == null && v.leaseHeldAt(System.nanoTime()));
        } else if (m instanceof Message.Pong p && leaseProbe.isOwnRegion(env)) {
            leaseProbe.onPong(p, System.nanoTime());
        } else if (m instanceof Message.Ping p) {
            VoterReplies.answerPing(this, runtime, agent, env, p);
            if (p.primaryRegion().equals(node.clusterState().primaryRegion())) {
                lastPrimaryContactNanos = System.nanoTime();
            }
        } else if (m instanceof Message.Pong p) {
            synchronized (this) {
                machine.onPong(env.senderRegion(), p.echoedSentNanos(), System.nanoTime());
                execute();
            }
        } else if (m instanceof Message.VoteRequest v) {
            VoterReplies.answerVote(runtime, agent, env, v, mayYield(v.epoch()));
        } else if (m instanceof Message.VoteReply v) {
            synchronized (this) {
                machine.onVote(env.senderRegion(), v.epoch(), v.granted(), v.votedFor(), System.nanoTime());
                if (!v.granted() && v.currentEpoch() >= v.epoch()) {
                    // The epoch asked for is already established elsewhere: a fact, and it fences us.
                    machine.onHigherEpoch(v.currentEpoch(), v.currentPrimary(), System.nanoTime());
                }
                execute();
            }
        } else if (m instanceof Message.Reject r && r.reason() == io.meridian.transport.RejectReason.STALE_EPOCH) {
            onHigherEpoch(r.epoch(), r.detail());
        } else if (m instanceof Message.ImageRequest) {
            if (node.isLeader() && node.clusterState().isPrimary(region)) {
                images.onImageRequest(env.senderEndpoint(), () -> { });
            }
        } else if (m instanceof Message.ImageChunk chunk) {
            onImageChunk(chunk);
        }
    }

    private synchronized void onImageChunk(Message.ImageChunk chunk) {
        if (!rejoining || !node.isLeader()) {
            return;
        }
        try {
            CompletableFuture<?> install = images.onChunk(chunk);
            if (install != null) {
                install.whenComplete((ok, error) -> {
                    synchronized (FailoverCoordinator.this) {
                        if (error != null) {
                            LOG.warn("{}: image install failed: {}; will retry", region, error.toString());
                        } else {
                            LOG.info("{}: state image installed; region follows the primary again", region);
                            rejoining = false;
                        }
                    }
                });
            }
        } catch (ImageTransfer.ImageTooLargeException e) {
            // asking again at once would fetch the same image; the rejoin timer retries, slowly
            LOG.error("{}: {}", region, e.getMessage());
        } catch (Exception e) {
            LOG.warn("{}: {}; re-requesting the image", region, e.getMessage());
            requestImage(System.nanoTime());
        }
    }

    // ---- actions ----

    private int execute() {
        List<RoleAction> actions = machine.drainActions();
        view = machine.view();
        for (RoleAction action : actions) {
            try {
                perform(action);
            } catch (RuntimeException e) {
                LOG.error("{}: failed to perform {}", region, action, e);
            }
        }
        view = machine.view();
        return actions.size();
    }

    private void perform(RoleAction action) {
        if (action instanceof RoleAction.SendPings p) {
            Message.Ping ping = new Message.Ping(p.epoch(), p.primaryRegion(), p.sentNanos());
            for (String endpoint : voterEndpoints()) {
                agent.enqueue(endpoint, ping);
            }
        } else if (action instanceof RoleAction.ProposeFence f) {
            node.propose(new RaftCommand.Fence(f.epoch(), f.primaryRegion()));
        } else if (action instanceof RoleAction.ProposeEpoch e) {
            EpochChange.Reason reason = e.primaryRegion().equals(region) ? EpochChange.Reason.PROMOTION
                    : EpochChange.Reason.SWITCHOVER;
            LOG.info("{}: proposing epoch {} with primary {} ({})", region, e.epoch(), e.primaryRegion(), reason);
            node.propose(new RaftCommand.EpochChangeCommand(System.currentTimeMillis(),
                    new EpochChange(e.epoch(), e.primaryRegion(), e.basis(), reason))).whenComplete((o, err) -> {
                        if (o instanceof Outcome.Applied a) {
                            promotedAt = new Position(a.epoch(), a.index());
                        }
                    });
        } else if (action instanceof RoleAction.AwaitTargetAck t) {
            machine.onRemoteAck(t.target(), agent.ackedIndex(t.target()), System.nanoTime());
        } else if (action instanceof RoleAction.SwitchoverAborted a) {
            LOG.warn("{}: switchover aborted: {}", region, a.reason());
            if (switchoverFuture != null) {
                switchoverFuture.completeExceptionally(new PromotionRefusedException("switchover aborted: " + a.reason()));
            }
        } else if (action instanceof RoleAction.SwitchoverCompleted c) {
            LOG.info("{}: switchover complete: {} is primary of epoch {} ({} ms)", region, c.newPrimary(), c.epoch(),
                    c.elapsedNanos() / 1_000_000);
            if (switchoverFuture != null) {
                switchoverFuture.complete(Duration.ofNanos(c.elapsedNanos()));
            }
        } else if (action instanceof RoleAction.RequestVotes v) {
            requestVotes(v);
        } else if (action instanceof RoleAction.PromotionFailed f) {
            LOG.warn("{}: promotion failed: {}", region, f.reason());
            if (promoteFuture != null) {
                promoteFuture.completeExceptionally(new PromotionRefusedException("promotion failed: " + f.reason()));
            }
        } else if (action instanceof RoleAction.PromotionLost l) {
            LOG.warn("{}: promotion lost: {}", region, l.reason());
            if (promoteFuture != null) {
                promoteFuture.completeExceptionally(new PromotionRefusedException("promotion failed: epoch " + l.epoch()
                        + " was won by " + l.winner() + " (" + l.reason() + ")"));
            }
        } else if (action instanceof RoleAction.PromotionCompleted c) {
            LOG.warn("{}: promoted to primary of epoch {} in {} ms", region, c.epoch(), c.elapsedNanos() / 1_000_000);
            if (promoteFuture != null) {
                Position p = promotedAt;
                promoteFuture.complete(p != null ? p : new Position(c.epoch(), node.clusterState().appliedIndex()));
            }
        }
    }

    private void requestVotes(RoleAction.RequestVotes v) {
        for (String voter : v.voters()) {
            if (voter.equals(region)) {
                // Our own region votes through its Raft log like any voter: granted only if no rival
                // candidate's vote for this epoch committed here first. A failed proposal is simply
                // asked again with the next resend.
                node.propose(new RaftCommand.Vote(v.epoch(), v.candidate(), false)).whenComplete((o, err) -> {
                    if (o instanceof Outcome.Vote vote) {
                        synchronized (FailoverCoordinator.this) {
                            ClusterState st = vote.state();
                            machine.onVote(region, v.epoch(), vote.granted(),
                                    st.votedEpoch() == v.epoch() ? st.votedFor() : "", System.nanoTime());
                            execute();
                        }
                    }
                });
            } else if (WITNESS.equals(voter)) {
                agent.enqueue(topology.witnessEndpoint(), new Message.VoteRequest(v.epoch(), v.candidate()));
            } else {
                for (ClusterTopology.NodeSpec n : topology.nodes(voter)) {
                    agent.enqueue(n.aeronEndpoint(), new Message.VoteRequest(v.epoch(), v.candidate()));
                }
            }
        }
    }

    private List<String> voterEndpoints() {
        List<String> endpoints = new ArrayList<>();
        for (String r : topology.regionNames()) {
            if (!r.equals(region)) {
                topology.nodes(r).forEach(n -> endpoints.add(n.aeronEndpoint()));
            }
        }
        if (topology.witnessEndpoint() != null) {
            endpoints.add(topology.witnessEndpoint());
        }
        return endpoints;
    }
}
