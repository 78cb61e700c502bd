package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.transport.Message;
import io.meridian.wal.SessionTag;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

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
 * <p>Writes go to the primary region's Raft leader. A write sent to any other node is refused
 * ({@link NotLeaderException} names the region's leader, {@link NotPrimaryException} the primary
 * region and its leader), or forwarded there when asked ({@link WriteOptions#forward(boolean)},
 * {@link ReplicatorContext#forwardWrites(boolean)}). Futures returned here complete on
 * Meridian's internal threads: do not block inside their callbacks.
 */
public final class Replicator implements AutoCloseable {

    private final ReplicatorContext ctx;
    private final NodeRuntime runtime;
    private final ErrorTranslation errors;
    private final WalView walView;
    private final Reads reads;

    private Replicator(ReplicatorContext ctx, NodeRuntime runtime) {
        this.ctx = ctx;
        this.runtime = runtime;
        this.errors = new ErrorTranslation(ctx, runtime);
        this.walView = WalViews.of(runtime.wal());
        this.reads = new Reads(ctx, runtime, errors);
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
     * Proposes a write with the default {@link WriteOptions}: no session, forwarded only if this
     * node's {@link ReplicatorContext#forwardWrites(boolean)} says so.
     */
    public CompletableFuture<Position> apply(byte[] payload) {
        return apply(payload, WriteOptions.defaults());
    }

    /**
     * Proposes a write. Completes with its position once committed in the primary region; completes
     * exceptionally with a {@link MeridianException} otherwise. An {@link OutcomeUnknownException}
     * (e.g. {@link MeridianTimeoutException}) means the write may or may not be applied: with a
     * session ({@link WriteOptions#session}, {@link WriteOptions#idempotencyKey}) retry it as is, and
     * the retry returns the original position without applying it twice.
     *
     * <p>On a node that cannot take it (a follower, a node of a secondary region), the write is
     * forwarded to the primary region's leader when {@code options} (or the node's default) allow it;
     * otherwise it fails with {@link NotPrimaryException} naming the primary region and its leader
     * when known ({@link NotLeaderException} on a follower of the primary region). Forwarding needs
     * the cross-region transport (a multi-region topology with Aeron endpoints).
     */
    public CompletableFuture<Position> apply(byte[] payload, WriteOptions options) {
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        if (payload.length > ctx.maxPayloadBytes()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds maxPayloadBytes "
                    + ctx.maxPayloadBytes());
        }
        SessionTag session = options.sessionId() == null ? null : new SessionTag(options.sessionId(), options.sequence());
        LocalWrites writes = runtime.writes();
        try {
            writes.admit();
        } catch (NotLeaderException | NotPrimaryException e) {
            MultiRegionServices services = runtime.multiRegion();
            // With no leader known (an election), the refusal says so better than a failed forward.
            if (options.forwards(ctx) && services != null && runtime.primaryLeaders().locate().known()) {
                return services.forwarder().forward(Message.FORWARD_WRITE, payload, session);
            }
            return CompletableFuture.failedFuture(runtime.primaryLeaders().refusal(e));
        } catch (MeridianException e) {
            return CompletableFuture.failedFuture(e);
        }
        return writes.propose(payload, session);
    }

    /**
     * Linearizable read ({@link ReadLevel#linearizable()}): waits until this node has applied
     * everything committed before the call (Raft ReadIndex), then runs {@code query} on a pool thread.
     * The query must only read. With one region any node serves it. With several, only the primary
     * region's leader does, and only while it holds its lease at the moment of serving; elsewhere it
     * fails with a retriable {@link NotPrimaryException}, {@link NotLeaderException} or
     * {@link LeaseUnavailableException} naming where to go, or {@link FencedException} when deposed
     * (or, with forwarding on, asks the primary's leader for a read index).
     */
    public <T> CompletableFuture<T> read(Callable<T> query) {
        return reads.read(ReadLevel.linearizable(), query);
    }

    /** A read at {@code level}: see {@link ReadLevel} for where each runs and what it guarantees. */
    public <T> CompletableFuture<T> read(ReadLevel level, Callable<T> query) {
        return reads.read(level, query);
    }

    /** Local read with no coordination ({@link ReadLevel#local()}): may be stale, never blocks. */
    public <T> T readStale(Callable<T> query) {
        return Reads.call(query);
    }

    /**
     * Completes once this node has applied the entry at {@code position} (read-your-writes across
     * regions: take the position from the primary, await it in a secondary, then read there). Fails
     * with {@link PositionLostException} when the position's epoch lost that index in a failover, and
     * with {@link MeridianTimeoutException} after {@code timeout}.
     */
    public CompletableFuture<Void> awaitApplied(Position position, Duration timeout) {
        return reads.awaitApplied(position, timeout);
    }

    /**
     * Forwarding counters of this node (requests it forwarded, their latency and failures, requests
     * it served for others); all zero with a single region.
     */
    public ForwardingStats forwardingStats() {
        MultiRegionServices services = runtime.multiRegion();
        return services == null ? new ForwardingStats(0, 0, 0, 0, 0, java.util.Map.of(), 0)
                : services.forwarder().stats();
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
