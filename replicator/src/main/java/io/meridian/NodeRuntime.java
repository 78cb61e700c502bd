package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.raft.RegionListener;
import io.meridian.raft.RegionNode;
import io.meridian.raft.RegionNodeConfig;
import io.meridian.wal.ChronicleWal;
import io.meridian.wal.Wal;
import io.meridian.wal.WalEntry;

import java.util.List;
import java.util.Map;

/**
 * The parts of one node and how they are wired: WAL, region Raft node, applied-index waiters,
 * write admission and (with several regions) the cross-region and failover services.
 */
final class NodeRuntime implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeRuntime.class);

    private final ReplicatorContext ctx;
    private final Wal wal;
    private final RegionNode regionNode;
    private final RegionEvents events;
    private final AppliedWaiters waiters;
    private final WalRetention retention;
    private final LocalWrites writes;
    private final PrimaryLeaders primaryLeaders;
    private volatile WriteAdmission admission;
    private volatile FailoverControl failover = FailoverControl.SINGLE_REGION;
    private volatile MultiRegionServices multiRegion;
    private volatile boolean closed;
    private volatile MemberTable memberTable;
    private final MembershipReconciler reconciler;
    private final java.util.concurrent.atomic.AtomicInteger inFlightWrites = new java.util.concurrent.atomic.AtomicInteger();

    private NodeRuntime(ReplicatorContext ctx, Wal wal, RegionNode regionNode, RegionEvents events) {
        this.ctx = ctx;
        this.wal = wal;
        this.regionNode = regionNode;
        this.events = events;
        this.waiters = new AppliedWaiters(ctx.maxAppliedWaiters());
        this.retention = new WalRetention(wal, regionNode, ctx.walRetention(), ctx.nodeId());
        this.admission = this::checkSingleRegion;
        this.memberTable = MemberTable.of(ctx.topology(), List.of());
        this.reconciler = new MembershipReconciler(this);
        this.writes = new LocalWrites(ctx, this, new ErrorTranslation(ctx, this));
        this.primaryLeaders = new PrimaryLeaders(ctx, this);
        events.add(new RegionListener() {
            @Override
            public void onApplied(List<WalEntry> entries, ClusterState state) {
                waiters.advance(state.appliedIndex());
            }

            @Override
            public void onClusterStateChanged(ClusterState state) {
                waiters.advance(state.appliedIndex());
            }
        });
    }

    static NodeRuntime open(ReplicatorContext ctx) {
        Wal wal = ChronicleWal.open(ctx.walRetention().walConfig(ctx.dataDir().resolve("wal")));
        try {
            RegionEvents events = new RegionEvents();
            ClusterTopology topology = ctx.topology();
            RegionNodeConfig config = new RegionNodeConfig()
                    .region(ctx.region())
                    .nodeId(ctx.nodeId())
                    .raftEndpoint(ctx.self().raftEndpoint())
                    .raftBindEndpoint(ctx.raftBindEndpoint())
                    .peers(topology.nodes(ctx.region()).stream().map(ClusterTopology.NodeSpec::raftEndpoint).toList())
                    .initialPrimary(topology.initialPrimary())
                    .dataDir(ctx.dataDir())
                    .electionTimeoutMs((int) ctx.electionTimeout().toMillis())
                    .snapshotIntervalSecs((int) Math.max(1, ctx.snapshotInterval().toSeconds()))
                    .snapshotLogIndexMargin(ctx.snapshotLogIndexMargin())
                    .fsync(ctx.fsync())
                    .join(ctx.join())
                    .conclude();
            RegionNode node = new RegionNode(config, wal, new UserStateAdapter(ctx.stateMachine()), events);
            NodeRuntime runtime = new NodeRuntime(ctx, wal, node, events);
            if (topology.isMultiRegion()) {
                runtime.multiRegion = MultiRegionServices.create(ctx, runtime);
            }
            return runtime;
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
    }

    void start() {
        regionNode.start();
        retention.start();
        reconciler.start();
        MultiRegionServices services = multiRegion;
        if (services != null) {
            services.start();
        }
    }

    LocalWrites writes() {
        return writes;
    }

    PrimaryLeaders primaryLeaders() {
        return primaryLeaders;
    }

    RegionNode regionNode() {
        return regionNode;
    }

    Wal wal() {
        return wal;
    }

    WalRetention retention() {
        return retention;
    }

    AppliedWaiters waiters() {
        return waiters;
    }

    RegionEvents events() {
        return events;
    }

    ReplicatorContext ctx() {
        return ctx;
    }

    WriteAdmission admission() {
        return admission;
    }

    void admission(WriteAdmission admission) {
        this.admission = admission;
    }

    FailoverControl failover() {
        return failover;
    }

    void failover(FailoverControl failover) {
        this.failover = failover;
    }

    /** Refusals common to every deployment: closed, not the leader, not the primary. */
    void checkSingleRegion() {
        if (closed) {
            throw new ReplicatorClosedException("node " + ctx.nodeId() + " is closed");
        }
        if (!regionNode.isLeader()) {
            String leader = regionNode.leaderEndpoint();
            throw new NotLeaderException("node " + ctx.nodeId() + " is not the leader of region " + ctx.region()
                    + (leader.isEmpty() ? " (election in progress)" : "; leader is " + nodeIdOf(leader)),
                    nodeIdOf(leader), leader);
        }
        ClusterState s = regionNode.clusterState();
        if (!s.isPrimary(ctx.region())) {
            long epoch = Math.max(s.epoch(), s.fencedEpoch());
            String primary = s.isFenced() ? s.fencedPrimary() : s.primaryRegion();
            if (s.primaryRegion().equals(ctx.region())) {
                throw new FencedException("region " + ctx.region() + " was deposed: epoch " + epoch
                        + " has primary " + primary, epoch);
            }
            throw new NotPrimaryException("region " + ctx.region() + " is not primary; primary is " + primary
                    + " (epoch " + epoch + ")", primary, epoch);
        }
    }

    /** Client writes proposed and not yet completed (a switchover drains them before handing over). */
    int inFlightWrites() {
        return inFlightWrites.get();
    }

    void writeStarted() {
        inFlightWrites.incrementAndGet();
    }

    void writeFinished() {
        inFlightWrites.decrementAndGet();
    }

    MultiRegionServices multiRegion() {
        return multiRegion;
    }

    /**
     * The topology this node knows now: its startup topology with the membership changes of its
     * replicated state; rebuilt only when those change (cheap to call on any thread).
     */
    ClusterTopology topology() {
        return memberTable().topology();
    }

    MemberTable memberTable() {
        MemberTable t = memberTable;
        List<io.meridian.raft.MemberChange> changes = regionNode.clusterState().members();
        if (t.source() != changes) {
            try {
                t = MemberTable.of(ctx.topology(), changes);
            } catch (IllegalArgumentException e) {
                // Validated before it was proposed; should a recorded change still not fit (an older node's
                // view), keep the last good table rather than fail every caller.
                LOG.error("{}: recorded membership does not make a valid topology ({}); keeping the previous one",
                        ctx.nodeId(), e.getMessage());
                t = t.withSource(changes);
            }
            memberTable = t;
        }
        return t;
    }

    String leaderNodeId() {
        return nodeIdOf(regionNode.leaderEndpoint());
    }

    String nodeIdOf(String raftEndpoint) {
        if (raftEndpoint == null || raftEndpoint.isEmpty()) {
            return "";
        }
        return topology().nodeByRaftEndpoint(raftEndpoint).map(ClusterTopology.NodeSpec::nodeId).orElse(raftEndpoint);
    }

    String raftEndpointOf(String nodeId) {
        return topology().node(nodeId).map(ClusterTopology.NodeSpec::raftEndpoint)
                .orElseThrow(() -> new IllegalArgumentException("unknown node '" + nodeId + "'"));
    }

    Health health() {
        ClusterState s = regionNode.clusterState();
        boolean leader = regionNode.isLeader();
        String regionRole;
        if (s.isPrimary(ctx.region())) {
            regionRole = "PRIMARY";
        } else if (s.primaryRegion().equals(ctx.region())) {
            regionRole = "FENCED";
        } else {
            regionRole = "SECONDARY";
        }
        MultiRegionServices services = multiRegion;
        if (services != null && "PRIMARY".equals(regionRole) && services.isFenced()) {
            regionRole = "FENCED";
        }
        Map<String, Health.RemoteStatus> remotes = services == null ? Map.of() : services.remoteStatus();
        String fencing;
        boolean leaseHeld = false;
        if (services == null) {
            fencing = "none needed (single region)";
        } else if (ctx.crossRegion().unsafeNoFencing()) {
            fencing = "UNSAFE: off (unsafeNoFencing)";
        } else {
            fencing = "lease " + ctx.crossRegion().lease().toMillis() + "ms";
            leaseHeld = "PRIMARY".equals(regionRole) && services.coordinator().gate().primaryLeaseHeldAt(System.nanoTime());
        }
        return new Health(ctx.nodeId(), ctx.region(), leader ? "LEADER" : "FOLLOWER", leaderNodeId(),
                regionNode.term(), s.epoch(), s.primaryRegion(), regionRole, regionNode.commitRaftIndex(),
                s.appliedIndex(), wal.lastIndex(), remotes, fencing, leaseHeld, wal.firstIndex(), wal.sizeBytes(),
                regionNode.failure(), waiters.size());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        MultiRegionServices services = multiRegion;
        if (services != null) {
            services.close();
        }
        retention.close();
        reconciler.close();
        regionNode.close();
        waiters.failAll(new ReplicatorClosedException("node " + ctx.nodeId() + " closed"));
        wal.close();
    }
}
