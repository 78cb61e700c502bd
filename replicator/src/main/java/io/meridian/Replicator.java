package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.raft.Outcome;
import io.meridian.raft.RaftCommand;
import io.meridian.raft.RegionNode;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Meridian node, embedded: a member of its region's Raft group, holding the region's WAL, and
 * (when it leads a region) shipping to or receiving from other regions.
 *
 * <pre>{@code
 * try (Replicator r = Replicator.start(new ReplicatorContext()
 *         .nodeId("eu-1").topology(topology).dataDir(dir).stateMachine(kv))) {
 *     r.awaitLeader(Duration.ofSeconds(10));
 *     Position p = r.apply(KvCommand.put("k", "v")).join();
 * }
 * }</pre>
 *
 * <p>Writes go to the primary region's Raft leader. A write sent to any other node is refused,
 * never forwarded: {@link NotLeaderException} names the region's leader, and
 * {@link NotPrimaryException} names the primary region. Futures returned here complete on
 * Meridian's internal threads: do not block inside their callbacks.
 */
public final class Replicator implements AutoCloseable {

    private final ReplicatorContext ctx;
    private final NodeRuntime runtime;
    private final ErrorTranslation errors;
    private final WalView walView;

    private Replicator(ReplicatorContext ctx, NodeRuntime runtime) {
        this.ctx = ctx;
        this.runtime = runtime;
        this.errors = new ErrorTranslation(ctx, runtime);
        this.walView = WalViews.of(runtime.wal());
    }

    /** Validates {@code ctx} (concluding it if needed), opens the WAL and starts the node. */
    public static Replicator start(ReplicatorContext ctx) {
        if (!ctx.isConcluded()) {
            ctx.conclude();
        }
        NodeRuntime runtime = NodeRuntime.open(ctx);
        try {
            runtime.start();
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        return new Replicator(ctx, runtime);
    }

    /**
     * Proposes a write. Completes with its position once committed in this (primary) region;
     * completes exceptionally with a {@link MeridianException} otherwise. A
     * {@link MeridianTimeoutException} means the outcome is unknown.
     */
    public CompletableFuture<Position> apply(byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null");
        }
        if (payload.length > ctx.maxPayloadBytes()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds maxPayloadBytes "
                    + ctx.maxPayloadBytes());
        }
        RegionNode region = runtime.regionNode();
        try {
            runtime.admission().check();
        } catch (MeridianException e) {
            return CompletableFuture.failedFuture(e);
        }
        ClusterState state = region.clusterState();
        RaftCommand.Write write = new RaftCommand.Write(state.epoch(), System.currentTimeMillis(), payload);
        runtime.writeStarted();
        return region.propose(write)
                .whenComplete((o, e) -> runtime.writeFinished())
                .orTimeout(ctx.applyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((outcome, error) -> {
                    if (error != null) {
                        throw translate(error, "write");
                    }
                    if (outcome instanceof Outcome.Applied applied) {
                        Position position = new Position(applied.epoch(), applied.index());
                        runtime.admission().checkAcknowledgement(position);
                        return position;
                    }
                    if (outcome instanceof Outcome.NotPrimary np) {
                        throw errors.notPrimary(np.state());
                    }
                    throw new IllegalStateException("unexpected outcome for a write: " + outcome);
                });
    }

    /**
     * Linearizable read: waits until this node has applied everything committed before the call
     * (Raft ReadIndex), then runs {@code query} on a pool thread (never on a Raft thread: JRaft
     * completes the barrier while holding its own locks, and the lease check and the query must not
     * run under them). The query must only read. With one region any node serves it. With several, only the primary region's
     * leader does, and only while it holds its lease at the moment of serving; elsewhere it fails
     * with a retriable {@link NotPrimaryException}, {@link NotLeaderException} or
     * {@link LeaseUnavailableException} naming where to go, or {@link FencedException} when deposed.
     */
    public <T> CompletableFuture<T> read(Callable<T> query) {
        try {
            runtime.admission().checkRead();
        } catch (MeridianException e) {
            return CompletableFuture.failedFuture(e);
        }
        return runtime.regionNode().readBarrier()
                .orTimeout(ctx.applyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((ok, error) -> {
                    if (error != null) {
                        throw translate(error, "read");
                    }
                    runtime.admission().checkRead();
                    try {
                        return query.call();
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                });
    }

    /** Local read with no coordination: may be stale, never blocks. */
    public <T> T readStale(Callable<T> query) {
        try {
            return query.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /**
     * Completes once this node has applied the entry at {@code position} (read-your-writes across
     * regions: take the position from the primary, await it in a secondary, then read there). Fails
     * with {@link PositionLostException} when the position's epoch lost that index in a failover, and
     * with {@link MeridianTimeoutException} after {@code timeout}.
     */
    public CompletableFuture<Void> awaitApplied(Position position, Duration timeout) {
        ClusterState now = runtime.regionNode().clusterState();
        if (now.supersedes(position.index(), position.epoch())) {
            return CompletableFuture.failedFuture(new PositionLostException(position, now.epochAt(position.index())));
        }
        return runtime.waiters().await(position.index())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, e) -> {
                    ClusterState s = runtime.regionNode().clusterState();
                    // The index may be reached by another epoch's entry (a write lost in a promotion), or
                    // an epoch change may show it lost while we still wait for the index.
                    if (s.supersedes(position.index(), position.epoch())
                            || (s.epochAt(position.index()) >= 0 && s.epochAt(position.index()) != position.epoch())) {
                        throw new PositionLostException(position, s.epochAt(position.index()));
                    }
                    if (e != null) {
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        if (cause instanceof TimeoutException) {
                            throw new MeridianTimeoutException("awaitApplied(" + position + ") timed out after "
                                    + timeout + "; this region has applied up to " + s.appliedIndex());
                        }
                        throw translate(e, "awaitApplied(" + position + ")");
                    }
                    return null;
                });
    }

    /** Blocks until the region has a Raft leader known to this node; returns its node id. */
    public String awaitLeader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String leader = runtime.leaderNodeId();
            if (!leader.isEmpty()) {
                return leader;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MeridianTimeoutException("interrupted while waiting for a leader");
            }
        }
        throw new MeridianTimeoutException("region " + ctx.region() + " has no leader after " + timeout);
    }

    /**
     * Among nodes running in this JVM, waits for the one that leads its region and is ready to take
     * writes (it has applied everything committed before its term).
     */
    public static Replicator awaitLeader(java.util.Collection<Replicator> nodes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Replicator r : nodes) {
                if (r.isLeader()) {
                    return r;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new MeridianTimeoutException("no ready leader among " + nodes.size() + " nodes after " + timeout);
    }

    public Health health() {
        return runtime.health();
    }

    public boolean isLeader() {
        return runtime.regionNode().isLeader();
    }

    public String nodeId() {
        return ctx.nodeId();
    }

    public String region() {
        return ctx.region();
    }

    /** The last position applied on this node. */
    public Position appliedPosition() {
        ClusterState s = runtime.regionNode().clusterState();
        return new Position(s.appliedEpoch(), s.appliedIndex());
    }

    /** Asks this node (the leader) to hand Raft leadership to another node of its region. */
    public CompletableFuture<Void> transferLeadership(String nodeId) {
        // Translated like addPeer: a follower asked to transfer says who leads (NotLeaderException).
        return runtime.regionNode().transferLeadership(runtime.raftEndpointOf(nodeId)).exceptionally(e -> {
            throw translate(e, "transferLeadership");
        });
    }

    /** Adds a node (by its Raft endpoint) to this region's Raft group; call on the leader. */
    public CompletableFuture<Void> addPeer(String raftEndpoint) {
        return runtime.regionNode().addPeer(raftEndpoint).exceptionally(e -> {
            throw translate(e, "addPeer");
        });
    }

    /** Removes a node (by its Raft endpoint) from this region's Raft group; call on the leader. */
    public CompletableFuture<Void> removePeer(String raftEndpoint) {
        return runtime.regionNode().removePeer(raftEndpoint).exceptionally(e -> {
            throw translate(e, "removePeer");
        });
    }

    /** Live membership: add or remove nodes and observers, see every member with its role. */
    public ClusterMembers members() {
        return new ClusterMembers(ctx, runtime, errors); // holds no state of its own
    }

    /** Takes a snapshot of this node now. */
    public CompletableFuture<Void> snapshot() {
        return runtime.regionNode().snapshot();
    }

    /**
     * Planned switchover: drain this (primary) region, hand the primary role to {@code targetRegion}
     * with no loss. Call on the primary region's leader.
     */
    public CompletableFuture<Duration> switchover(String targetRegion) {
        return runtime.failover().switchover(targetRegion);
    }

    /**
     * Unplanned promotion of this node's region. Without {@code allowDataLoss} a region that is (or
     * may be) behind the old primary is refused with its lag. Call on the region's leader.
     */
    public CompletableFuture<Position> promote(boolean allowDataLoss) {
        return runtime.failover().promote(allowDataLoss);
    }

    /**
     * Commit-at-origin to applied-here latency of entries received from each other region
     * (milliseconds; measured on this node's wall clock against the origin's).
     */
    public Map<String, InboundLagSnapshot> inboundLag() {
        MultiRegionServices services = runtime.multiRegion();
        return services == null ? Map.of() : services.inboundLag();
    }

    /**
     * Where the inbound lag goes, stage by stage, per origin region (see {@link LagStageSnapshot});
     * recorded by the node that applied the batches as its region's leader, empty elsewhere.
     */
    public Map<String, java.util.List<LagStageSnapshot>> lagAnatomy() {
        MultiRegionServices services = runtime.multiRegion();
        return services == null ? Map.of() : services.lagAnatomy();
    }

    /**
     * How far behind the primary this node's region is right now, in ms: 0 when it has applied
     * everything it knows of (and always on the primary), else the age of the last entry it applied.
     */
    public long currentLagMillis() {
        MultiRegionServices services = runtime.multiRegion();
        return services == null ? 0 : services.coordinator().lag().currentLagMillis();
    }

    /**
     * On the primary region's leader while it pings for its lease: per other voter (data regions by
     * name, the witness as {@code witness}), nanoseconds since the send time of the newest ping it
     * vouched for. Empty on every other node and without fencing. For monitoring, e.g. a witness
     * that stopped answering while the lease still holds on the other voters.
     */
    public Map<String, Long> voterVouchAgesNanos() {
        MultiRegionServices services = runtime.multiRegion();
        return services == null ? Map.of() : services.coordinator().vouchAgesNanos();
    }

    /** Inbound cross-region frames dropped (bad MAC, truncated, replayed...), all reasons. */
    public long droppedFrames() {
        MultiRegionServices services = runtime.multiRegion();
        return services == null ? 0 : services.droppedFrames();
    }

    /** Inbound cross-region frames dropped, by reason (all zero or empty with a single region). */
    public Map<String, Long> droppedFramesByReason() {
        MultiRegionServices services = runtime.multiRegion();
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        if (services != null) {
            services.transport().dropCounters().snapshot().forEach((reason, n) -> out.put(reason.name(), n));
        }
        return out;
    }

    /**
     * Faults the cross-region agent survived, by reason (shipper, wal_corrupt, transport, outbox_full,
     * ...), plus {@code transport_rebuilds} and {@code outbox_depth}; empty with a single region.
     */
    public Map<String, Long> crossRegionFaults() {
        MultiRegionServices services = runtime.multiRegion();
        if (services == null) {
            return Map.of();
        }
        Map<String, Long> out = services.faultCounts();
        out.put("outbox_depth", (long) services.outboxDepth());
        return out;
    }

    /**
     * Observes region events (leadership changes, applied entries), e.g. for metrics. Callbacks run
     * on JRaft's threads: keep them short and never block.
     */
    public void addRegionListener(RegionEventListener listener) {
        runtime.events().add(new io.meridian.raft.RegionListener() {
            @Override
            public void onLeaderStart(long term) {
                listener.onLeaderStart(term);
            }

            @Override
            public void onLeaderStop() {
                listener.onLeaderStop();
            }

            @Override
            public void onClusterStateChanged(ClusterState state) {
                listener.onEpochStateChanged(state.epoch(), state.primaryRegion());
            }

            @Override
            public void onApplied(java.util.List<io.meridian.wal.WalEntry> entries, ClusterState state) {
                if (!entries.isEmpty()) {
                    io.meridian.wal.WalEntry last = entries.get(entries.size() - 1);
                    listener.onApplied(entries.size(), new Position(last.epoch(), last.index()));
                }
            }
        });
    }

    /** A read-only view of this node's WAL (checkers, tools). */
    public WalView wal() {
        return walView;
    }

    @Override
    public void close() {
        runtime.close();
    }

    RuntimeException translate(Throwable error, String what) {
        return errors.translate(error, what);
    }
}
