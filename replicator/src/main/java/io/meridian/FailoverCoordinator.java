package io.meridian;

import io.meridian.failover.FailoverConfig;
import io.meridian.failover.RegionState;
import io.meridian.failover.RoleAction;
import io.meridian.failover.RoleMachine;
import io.meridian.failover.Voters;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Wires the pure {@link RoleMachine} to this node: feeds it the replicated state, leadership,
 * pongs, votes and acks, carries out its actions (pings, Raft proposals, vote requests), routes other
 * regions' pings and votes to {@link VoterReplies}, and publishes every decision to the lock-free
 * {@link AdmissionGate}. Lag tracking ({@link InboundLag}) and the way back of a deposed primary
 * ({@link Rejoin}) live beside it. Every RoleMachine call holds this object's lock; none blocks.
 */
final class FailoverCoordinator implements CrossRegionListener, FailoverControl, RegionListener {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverCoordinator.class);
    private static final String WITNESS = "witness";

    private final NodeRuntime runtime;
    private final RegionNode node;
    private final String region;
    private final ClusterTopology topology;
    private final RoleMachine machine;
    private final ImageTransfer images;
    private final RegionLeaseProbe leaseProbe;
    private final AdmissionGate gate;
    private final InboundLag lag;
    private final Rejoin rejoin;
    private CrossRegionAgent agent;
    private CompletableFuture<Duration> switchoverFuture;
    private CompletableFuture<Position> promoteFuture;
    private volatile Position promotedAt;

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
        this.gate = new AdmissionGate(runtime, leaseProbe, machine.view());
        this.lag = new InboundLag(node, region);
        this.rejoin = new Rejoin(runtime, images, this);
    }

    /** Write admission, reads and acknowledgements on client threads, lock-free. */
    AdmissionGate gate() {
        return gate;
    }

    InboundLag lag() {
        return lag;
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

    /** True unless our own candidacy for {@code epoch} already gathered a majority (see VoterState). */
    synchronized boolean mayYield(long epoch) {
        return machine.mayYield(epoch);
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
        long behind = lag.lagEntriesForPromotion(now);
        var result = machine.requestPromotion(allowDataLoss, behind, s.appliedIndex(), now);
        if (!result.accepted()) {
            return CompletableFuture.failedFuture(new PromotionRefusedException("promotion of " + region
                    + " refused: " + result.message()));
        }
        LOG.warn("{}: promotion started (allowDataLoss={}, lag={}, basis={})", region, allowDataLoss,
                behind < 0 ? "unknown" : behind, s.appliedIndex());
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
        rejoin.onLeadershipLost();
        execute();
    }

    @Override
    public synchronized void onClusterStateChanged(ClusterState state) {
        machine.onRegionState(toRegionState(state), System.nanoTime());
        execute();
    }

    @Override
    public void onApplied(List<WalEntry> entries, ClusterState state) {
        lag.onApplied(entries);
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
        lag.onBatchReceived(senderRegion, lastIndex);
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
        rejoin.doWork(agent, nowNanos);
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
        rejoin.onDiverged(agent, primaryRegion, primaryEndpoint, matchIndex, primaryEpoch);
        execute();
    }

    @Override
    public void onOtherMessage(Envelope env) {
        Message m = env.message();
        if (m instanceof Message.Ping p && leaseProbe.isOwnRegion(env)) {
            leaseProbe.answer(agent, env, p, gate.leaseHeldForProbe(System.nanoTime()));
        } else if (m instanceof Message.Pong p && leaseProbe.isOwnRegion(env)) {
            leaseProbe.onPong(p, System.nanoTime());
        } else if (m instanceof Message.Ping p) {
            VoterReplies.answerPing(this, runtime, agent, env, p);
            if (p.primaryRegion().equals(node.clusterState().primaryRegion())) {
                lag.onPrimaryContact();
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
            synchronized (this) {
                rejoin.onImageChunk(agent, chunk);
            }
        }
    }

    // ---- actions ----

    private int execute() {
        List<RoleAction> actions = machine.drainActions();
        gate.publish(machine.view());
        if (actions.isEmpty()) {
            return 0; // most duty cycles: no iterator, no second view
        }
        for (RoleAction action : actions) {
            try {
                perform(action);
            } catch (RuntimeException e) {
                LOG.error("{}: failed to perform {}", region, action, e);
            }
        }
        gate.publish(machine.view());
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
                for (String endpoint : runtime.memberTable().voterAeronEndpoints().get(voter)) {
                    agent.enqueue(endpoint, new Message.VoteRequest(v.epoch(), v.candidate()));
                }
            }
        }
    }

    private List<String> voterEndpoints() {
        List<String> endpoints = new ArrayList<>();
        for (String r : topology.regionNames()) {
            if (!r.equals(region)) {
                endpoints.addAll(runtime.memberTable().voterAeronEndpoints().get(r)); // live membership
            }
        }
        if (topology.witnessEndpoint() != null) {
            endpoints.add(topology.witnessEndpoint());
        }
        return endpoints;
    }
}
