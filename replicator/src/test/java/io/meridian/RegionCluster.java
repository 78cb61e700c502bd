package io.meridian;

import io.meridian.support.LoopbackPorts;

import io.meridian.kv.KvStateMachine;
import io.meridian.wal.ChronicleWal;
import io.meridian.wal.Wal;
import io.meridian.wal.WalConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * Test fixture: the nodes of one or more regions in this JVM, each with its own data dir, a KV
 * state machine and dynamically allocated loopback ports. Nodes can be stopped and restarted from
 * their data dirs.
 */
public final class RegionCluster implements AutoCloseable {

    public static final byte[] SECRET = "meridian-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private final Path root;
    private final ClusterTopology topology;
    private final Consumer<ReplicatorContext> customizer;
    private final Map<String, Replicator> running = new LinkedHashMap<>();
    private final Map<String, KvStateMachine> machines = new LinkedHashMap<>();
    private java.util.function.Function<String, String> witnessMapper = java.util.function.Function.identity();
    private Witness witness;

    public RegionCluster(Path root, ClusterTopology topology, Consumer<ReplicatorContext> customizer) {
        this.root = root;
        this.topology = topology;
        this.customizer = customizer;
    }

    /**
     * A topology of {@code regions} regions named r0, r1... with {@code nodes} nodes each, r0 primary;
     * two regions get a witness (Meridian refuses two data regions without one), which the cluster
     * starts with its first node.
     */
    public static ClusterTopology topology(int regions, int nodes) {
        ClusterTopology.Builder b = ClusterTopology.builder();
        for (int r = 0; r < regions; r++) {
            b.region("r" + r);
            for (int n = 1; n <= nodes; n++) {
                b.node("r" + r + "-" + n, LoopbackPorts.endpoint(), regions > 1 ? LoopbackPorts.endpoint() : null);
            }
        }
        if (regions == 2) {
            b.witness(LoopbackPorts.endpoint());
        }
        return b.primary("r0").build();
    }

    /** How the witness maps the endpoints it replies to (e.g. through a test {@link Partition}); before the first start. */
    public RegionCluster witnessMapper(java.util.function.Function<String, String> mapper) {
        this.witnessMapper = mapper;
        return this;
    }

    /** The witness this cluster runs, or null. */
    public Witness witness() {
        return witness;
    }

    private void ensureWitness() {
        if (witness == null && topology.witnessEndpoint() != null) {
            witness = Witness.start(topology.witnessEndpoint(), SECRET, root.resolve("witness.state"),
                    topology.initialPrimary(), witnessMapper);
        }
    }

    public static RegionCluster single(Path root, int nodes) {
        return new RegionCluster(root, topology(1, nodes), c -> { });
    }

    public ClusterTopology topology() {
        return topology;
    }

    public RegionCluster startAll() {
        for (ClusterTopology.NodeSpec n : topology.allNodes()) {
            start(n.nodeId());
        }
        return this;
    }

    public Replicator start(String nodeId) {
        return start(nodeId, topology);
    }

    /**
     * Starts a node with its own view of the topology: a node joining a running region lists itself
     * (its Raft group's initial configuration) while the running nodes' topology does not yet.
     */
    public Replicator start(String nodeId, ClusterTopology nodeTopology) {
        ensureWitness();
        KvStateMachine kv = new KvStateMachine();
        ReplicatorContext ctx = new ReplicatorContext()
                .nodeId(nodeId)
                .topology(nodeTopology)
                .dataDir(root.resolve(nodeId))
                .stateMachine(kv)
                .electionTimeout(Duration.ofMillis(600))
                .applyTimeout(Duration.ofSeconds(20))
                .fsync(false)
                .clusterSecret(SECRET);
        customizer.accept(ctx);
        Replicator r = Replicator.start(ctx);
        running.put(nodeId, r);
        machines.put(nodeId, kv);
        return r;
    }

    public void stop(String nodeId) {
        Replicator r = running.remove(nodeId);
        if (r != null) {
            r.close();
        }
    }

    public Replicator node(String nodeId) {
        return running.get(nodeId);
    }

    public KvStateMachine kv(String nodeId) {
        return machines.get(nodeId);
    }

    public List<Replicator> running() {
        return new ArrayList<>(running.values());
    }

    public List<Replicator> runningIn(String region) {
        return running.values().stream().filter(r -> r.region().equals(region)).toList();
    }

    /** Waits for a leader in {@code region} that all running nodes there agree on, and returns it. */
    public Replicator awaitLeader(String region) {
        Replicator[] found = new Replicator[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            List<Replicator> leaders = runningIn(region).stream().filter(Replicator::isLeader).toList();
            if (leaders.size() != 1) {
                return false;
            }
            found[0] = leaders.get(0);
            return true;
        });
        // The primary's leader refuses writes until a majority of voters vouched for its lease: give it
        // a moment, as clients would by retrying. A deposed primary never gets one, so do not insist.
        Health h = found[0].health();
        if (h.fencing().startsWith("lease") && h.primaryRegion().equals(region)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!found[0].health().leaseHeld() && System.nanoTime() < deadline && found[0].isLeader()) {
                Thread.onSpinWait();
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
        }
        return found[0];
    }

    /**
     * Writes through {@code region}'s leader, retrying as a client should on retriable errors (a
     * leader change under load; an unknown outcome is safe to retry here because a test write puts
     * the same value again).
     */
    public Position applyRetrying(String region, byte[] payload, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return awaitLeader(region).apply(payload).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof MeridianException me && me.isRetriable()) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
        }
    }

    /** Promotes {@code region}, calling promote again on the new leader if leadership moves on the way. */
    public Position promoteRetrying(String region, boolean allowDataLoss, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return awaitLeader(region).promote(allowDataLoss).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof NotLeaderException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
        }
    }

    public Replicator follower(String region) {
        return runningIn(region).stream().filter(r -> !r.isLeader()).findFirst().orElseThrow();
    }

    /** Every entry of a node's WAL from its first index, each checksum verified by the read. */
    public static List<WalRecord> walEntries(WalView wal) {
        List<WalRecord> entries = new ArrayList<>();
        try (WalView.Reader reader = wal.openReader(wal.firstIndex())) {
            for (WalRecord e = reader.next(); e != null; e = reader.next()) {
                entries.add(e);
            }
        }
        return entries;
    }

    /** Opens a stopped node's WAL from disk. */
    public Wal openWal(String nodeId) {
        return ChronicleWal.open(WalConfig.of(root.resolve(nodeId).resolve("wal")));
    }

    public static byte[] put(int i) {
        return io.meridian.kv.KvCommand.put("k" + (i % 5000), "v" + i);
    }

    @Override
    public void close() {
        for (Replicator r : running.values()) {
            try {
                r.close();
            } catch (RuntimeException ignored) {
                // best effort in teardown
            }
        }
        running.clear();
        if (witness != null) {
            witness.close();
            witness = null;
        }
    }
}
