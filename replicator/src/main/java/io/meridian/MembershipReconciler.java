package io.meridian;

import io.meridian.raft.MemberChange;
import io.meridian.raft.RegionNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * On the leader of a region, brings the region's Raft configuration in line with the membership
 * recorded in the replicated state: a recorded voter becomes a JRaft peer, an observer a JRaft
 * learner, a removed node leaves both. One change at a time, on its own thread (JRaft's
 * configuration calls take the node's lock: never from a JRaft callback), retried every tick until
 * it holds, so a leader change or a node that was not up yet only delays it. Only nodes named by a
 * recorded change are touched: a configuration changed by hand ({@link Replicator#addPeer}) is left
 * alone otherwise.
 */
final class MembershipReconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipReconciler.class);
    static final long TICK_MS = 500;

    private final NodeRuntime runtime;
    private final ScheduledExecutorService timer;
    private volatile CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    MembershipReconciler(NodeRuntime runtime) {
        this.runtime = runtime;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meridian-membership-" + runtime.ctx().nodeId());
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        timer.scheduleWithFixedDelay(this::tickSafely, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("{}: membership reconciliation failed: {}", runtime.ctx().nodeId(), e.toString());
        }
    }

    /** One step: starts at most one configuration change when none is in flight. */
    void tick() {
        RegionNode node = runtime.regionNode();
        if (!inFlight.isDone() || !node.isLeader()) {
            return;
        }
        String region = runtime.ctx().region();
        List<MemberChange> changes = node.clusterState().members();
        if (changes.stream().noneMatch(c -> c.region().equals(region))) {
            return;
        }
        List<String> peers = node.raftPeers();
        List<String> learners = node.raftLearners();
        if (peers.isEmpty()) {
            return; // not (or no longer) the leader
        }
        MembershipPlan.next(region, changes, peers, learners).ifPresent(step -> {
            String ep = step.change().raftEndpoint();
            CompletableFuture<Void> change = switch (step.action()) {
                case ADD_PEER -> node.addPeer(ep);
                case REMOVE_PEER -> node.removePeer(ep);
                case ADD_LEARNER -> node.addLearner(ep);
                case REMOVE_LEARNER -> node.removeLearner(ep);
            };
            start(step.action().name().toLowerCase(java.util.Locale.ROOT), step.change(), change);
        });
    }

    private void start(String what, MemberChange c, CompletableFuture<Void> change) {
        LOG.info("{}: {} {} ({})", runtime.ctx().nodeId(), what, c.nodeId(), c.raftEndpoint());
        // Completes on a JRaft thread: only log there; the next tick looks at the configuration again.
        inFlight = change.whenComplete((ok, e) -> {
            if (e == null) {
                LOG.info("{}: {} {}: done", runtime.ctx().nodeId(), what, c.nodeId());
            } else {
                LOG.warn("{}: {} {} failed (retried): {}", runtime.ctx().nodeId(), what, c.nodeId(), e.toString());
            }
        }).exceptionally(e -> null);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
