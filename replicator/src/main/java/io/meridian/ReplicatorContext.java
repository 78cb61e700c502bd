package io.meridian;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a {@link Replicator} needs, Aeron style: fluent setters, then {@link #conclude()}
 * validates once and fills defaults (called by {@link Replicator#start} if you have not).
 * Errors name the field at fault.
 */
public final class ReplicatorContext {

    // Defaults, each defined once; the node YAML uses these, docs/operations.md ("Defaults") lists them.
    public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofMillis(1000);
    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofHours(1);
    /** fsync the Raft log on every commit: an acknowledged write survives a power loss of a majority. */
    public static final boolean DEFAULT_FSYNC = true;
    public static final Duration DEFAULT_APPLY_TIMEOUT = Duration.ofSeconds(10);
    /** Largest payload of one write (1 MiB); the Aeron term is sized so one such entry fits a frame. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = io.meridian.xregion.ShippingConfig.DEFAULT_MAX_PAYLOAD_BYTES;

    private String nodeId;
    private ClusterTopology topology;
    private Path dataDir;
    private StateMachine stateMachine;
    private Duration electionTimeout = DEFAULT_ELECTION_TIMEOUT;
    private Duration snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
    private int snapshotLogIndexMargin = 0;
    private boolean fsync = DEFAULT_FSYNC;
    private Duration applyTimeout = DEFAULT_APPLY_TIMEOUT;
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private byte[] clusterSecret;
    private CrossRegionSettings crossRegion = new CrossRegionSettings();
    private WalRetentionSettings walRetention = new WalRetentionSettings();
    private int maxAppliedWaiters = AppliedWaiters.DEFAULT_MAX_WAITERS;
    private String raftBindEndpoint;
    private String aeronBindEndpoint;
    private boolean forwardWrites;
    private boolean join;
    private boolean concluded;
    private ClusterTopology.NodeSpec self;
    private io.meridian.xregion.ShippingConfig shipping;

    /** This node's id; it must appear in the topology. */
    public ReplicatorContext nodeId(String nodeId) {
        this.nodeId = nodeId;
        return this;
    }

    public ReplicatorContext topology(ClusterTopology topology) {
        this.topology = topology;
        return this;
    }

    /** This node's own directory (Raft log, snapshots, WAL). Created if missing. */
    public ReplicatorContext dataDir(Path dataDir) {
        this.dataDir = dataDir;
        return this;
    }

    public ReplicatorContext stateMachine(StateMachine stateMachine) {
        this.stateMachine = stateMachine;
        return this;
    }

    public ReplicatorContext electionTimeout(Duration electionTimeout) {
        this.electionTimeout = electionTimeout;
        return this;
    }

    public ReplicatorContext snapshotInterval(Duration snapshotInterval) {
        this.snapshotInterval = snapshotInterval;
        return this;
    }

    /**
     * Minimum number of Raft entries applied since the last snapshot for a new one to be taken
     * (JRaft's snapshotLogIndexMargin). Below it, a snapshot request, timed or from
     * {@link Replicator#snapshot()}, completes without taking one. 0 means every request snapshots.
     */
    public ReplicatorContext snapshotLogIndexMargin(int snapshotLogIndexMargin) {
        this.snapshotLogIndexMargin = snapshotLogIndexMargin;
        return this;
    }

    /**
     * This node joins a running region (added with {@link Replicator#addNode}): it starts with no Raft
     * configuration and waits for its region's leader to add it, instead of forming a group from the
     * topology. Its topology must still list it (and the cluster). Harmless once it has joined.
     */
    public ReplicatorContext join(boolean join) {
        this.join = join;
        return this;
    }

    public boolean join() {
        return join;
    }

    /** fsync the Raft log on every commit (default true). Turning it off trades durability for speed. */
    public ReplicatorContext fsync(boolean fsync) {
        this.fsync = fsync;
        return this;
    }

    /** How long apply() and read() wait before failing with {@link MeridianTimeoutException}. */
    public ReplicatorContext applyTimeout(Duration applyTimeout) {
        this.applyTimeout = applyTimeout;
        return this;
    }

    public ReplicatorContext maxPayloadBytes(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        return this;
    }

    /** Shared secret authenticating every cross-region frame (HMAC-SHA256). At least 16 bytes. */
    public ReplicatorContext clusterSecret(byte[] clusterSecret) {
        this.clusterSecret = clusterSecret == null ? null : clusterSecret.clone();
        return this;
    }

    /** Shipping, lease and failover settings (only used when the topology has several regions). */
    public ReplicatorContext crossRegion(CrossRegionSettings crossRegion) {
        this.crossRegion = crossRegion;
        return this;
    }

    /** How long this node keeps its WAL, and its hard cap (default 1 GiB). */
    public ReplicatorContext walRetention(WalRetentionSettings walRetention) {
        this.walRetention = walRetention;
        return this;
    }

    /**
     * Most {@link Replicator#awaitApplied} calls waiting at once on this node (default 65536); beyond
     * that they fail at once with {@link OverloadedException} instead of piling up.
     */
    public ReplicatorContext maxAppliedWaiters(int maxAppliedWaiters) {
        this.maxAppliedWaiters = maxAppliedWaiters;
        return this;
    }

    /**
     * Where this node's Raft RPC server listens ({@code host:port}) when not on every address at the
     * port of its topology Raft endpoint, which stays what the other nodes dial (e.g. a NAT address).
     */
    public ReplicatorContext raftBindEndpoint(String raftBindEndpoint) {
        this.raftBindEndpoint = raftBindEndpoint;
        return this;
    }

    /**
     * Where this node's Aeron subscription listens ({@code host:port}, e.g. {@code 0.0.0.0:8001}) instead of
     * its topology Aeron endpoint, which stays what the other regions send to.
     */
    public ReplicatorContext aeronBindEndpoint(String aeronBindEndpoint) {
        this.aeronBindEndpoint = aeronBindEndpoint;
        return this;
    }

    /**
     * Default for writes that do not say ({@link WriteOptions#forward(boolean)}): when true, a write
     * reaching a node that cannot admit it (a follower, a secondary region) is forwarded to the
     * primary region's leader over the authenticated cross-region transport, and its answer relayed.
     * Default false: such a write is refused, naming the primary region and its leader when known.
     */
    public ReplicatorContext forwardWrites(boolean forwardWrites) {
        this.forwardWrites = forwardWrites;
        return this;
    }

    public boolean forwardWrites() {
        return forwardWrites;
    }

    /** Validates every field and fills defaults. Call once. */
    public ReplicatorContext conclude() {
        if (concluded) {
            throw new IllegalStateException("ReplicatorContext already concluded");
        }
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("nodeId is required");
        }
        if (topology == null) {
            throw new IllegalArgumentException("topology is required");
        }
        self = topology.node(nodeId).orElseThrow(() -> new IllegalArgumentException(
                "nodeId '" + nodeId + "' is not in the topology " + topology));
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir is required");
        }
        if (stateMachine == null) {
            throw new IllegalArgumentException("stateMachine is required");
        }
        requirePositive("electionTimeout", electionTimeout);
        requirePositive("snapshotInterval", snapshotInterval);
        requirePositive("applyTimeout", applyTimeout);
        if (snapshotLogIndexMargin < 0) {
            throw new IllegalArgumentException("snapshotLogIndexMargin must be >= 0: " + snapshotLogIndexMargin);
        }
        if (maxPayloadBytes < 1 || maxPayloadBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("maxPayloadBytes must be in 1..64 MiB: " + maxPayloadBytes);
        }
        if (walRetention == null) {
            throw new IllegalArgumentException("walRetention must not be null");
        }
        walRetention.conclude();
        if (maxAppliedWaiters < 1) {
            throw new IllegalArgumentException("maxAppliedWaiters must be >= 1: " + maxAppliedWaiters);
        }
        if (topology.isMultiRegion()) {
            if (clusterSecret == null || clusterSecret.length < 16) {
                throw new IllegalArgumentException("clusterSecret of at least 16 bytes is required with more than one region");
            }
            crossRegion.conclude();
            if (topology.regionNames().size() == 2 && topology.witnessEndpoint() == null && !crossRegion.unsafeNoFencing()) {
                throw new IllegalArgumentException("two data regions need a witness: without a third voter, "
                        + "neither region can hold a lease or be promoted while the other is unreachable, so the "
                        + "primary stops taking writes whenever the secondary region fails; add a witness endpoint "
                        + "to the topology (see docs/operations.md)");
            }
            shipping = ShippingSettings.from(crossRegion, maxPayloadBytes);
        }
        concluded = true;
        return this;
    }

    private static void requirePositive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be a positive duration: " + d);
        }
    }

    boolean isConcluded() {
        return concluded;
    }

    public String nodeId() {
        return nodeId;
    }

    public String region() {
        return self.region();
    }

    ClusterTopology.NodeSpec self() {
        return self;
    }

    public ClusterTopology topology() {
        return topology;
    }

    public Path dataDir() {
        return dataDir;
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }

    public Duration electionTimeout() {
        return electionTimeout;
    }

    public Duration snapshotInterval() {
        return snapshotInterval;
    }

    public int snapshotLogIndexMargin() {
        return snapshotLogIndexMargin;
    }

    public boolean fsync() {
        return fsync;
    }

    public Duration applyTimeout() {
        return applyTimeout;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    byte[] clusterSecret() {
        return clusterSecret;
    }

    public CrossRegionSettings crossRegion() {
        return crossRegion;
    }

    public WalRetentionSettings walRetention() {
        return walRetention;
    }

    /** Null: every address at the Raft endpoint's port. */
    public String raftBindEndpoint() {
        return raftBindEndpoint;
    }

    /** Null: the topology's Aeron endpoint. */
    public String aeronBindEndpoint() {
        return aeronBindEndpoint;
    }

    public int maxAppliedWaiters() {
        return maxAppliedWaiters;
    }

    /** The validated shipping configuration (multi-region only; null before conclude()). */
    io.meridian.xregion.ShippingConfig shipping() {
        return shipping;
    }
}
