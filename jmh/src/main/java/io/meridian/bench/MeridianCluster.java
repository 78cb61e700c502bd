package io.meridian.bench;

import io.meridian.ClusterTopology;
import io.meridian.NotLeaderException;
import io.meridian.Replicator;
import io.meridian.ReplicatorContext;
import io.meridian.Witness;
import io.meridian.kv.KvStateMachine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Meridian nodes in this JVM, {@code nodesPerRegion} per region, each with a KV state machine and
 * its own data directory under one scratch root, on dynamically allocated loopback ports. Region
 * r0 is the primary.
 */
final class MeridianCluster implements AutoCloseable {

    // Twice Meridian's default: the benchmarks run 3-6 nodes on 2 shared cores, where a 1 s timeout
    // lets CPU starvation alone trigger elections. The raw JRaft baseline uses the same value.
    static final Duration ELECTION_TIMEOUT = Duration.ofMillis(2000);
    private static final byte[] SECRET = "meridian-benchmark-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private final Path root = BenchSupport.tempDir("cluster");
    private Witness witness;
    private final Map<String, Replicator> nodes = new LinkedHashMap<>();
    private final Map<String, KvStateMachine> machines = new LinkedHashMap<>();

    MeridianCluster(int regions, int nodesPerRegion, boolean fsync) {
        ClusterTopology.Builder builder = ClusterTopology.builder();
        for (int r = 0; r < regions; r++) {
            builder.region("r" + r);
            for (int n = 1; n <= nodesPerRegion; n++) {
                builder.node("r" + r + "-" + n, BenchSupport.loopbackEndpoint(),
                        regions > 1 ? BenchSupport.loopbackEndpoint() : null);
            }
        }
        if (regions == 2) {
            // Two data regions need a witness (Meridian refuses them without one); benchmarks run the
            // safe default configuration, lease included.
            builder.witness(BenchSupport.loopbackEndpoint());
        }
        ClusterTopology topology = builder.primary("r0").build();
        try {
            if (topology.witnessEndpoint() != null) {
                witness = Witness.start(topology.witnessEndpoint(), SECRET, root.resolve("witness.state"), "r0",
                        java.util.function.Function.identity());
            }
            for (ClusterTopology.NodeSpec spec : topology.allNodes()) {
                KvStateMachine kv = new KvStateMachine();
                Replicator replicator = Replicator.start(new ReplicatorContext()
                        .nodeId(spec.nodeId())
                        .topology(topology)
                        .dataDir(root.resolve(spec.nodeId()))
                        .stateMachine(kv)
                        .electionTimeout(ELECTION_TIMEOUT)
                        .applyTimeout(Duration.ofSeconds(30))
                        .fsync(fsync)
                        .clusterSecret(SECRET));
                nodes.put(spec.nodeId(), replicator);
                machines.put(spec.nodeId(), kv);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The one node that leads {@code region}'s Raft group, once all its nodes agree. */
    Replicator awaitLeader(String region, Duration timeout) {
        BenchSupport.awaitTrue(() -> leaders(region).size() == 1, timeout, "a leader in region " + region);
        return leaders(region).get(0);
    }

    /** True if {@code error} (possibly wrapped) is a refusal because leadership moved. */
    static boolean isNotLeader(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NotLeaderException || t instanceof io.meridian.LeaseUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /** Completes {@code pipeline}'s write, treating a leadership change as such rather than a failure. */
    static void complete(Pipeline pipeline, Throwable error) {
        if (isNotLeader(error)) {
            pipeline.leaderChanged();
        } else {
            pipeline.complete(error);
        }
    }

    KvStateMachine kv(Replicator node) {
        return machines.get(node.nodeId());
    }

    private List<Replicator> leaders(String region) {
        List<Replicator> leaders = new ArrayList<>();
        for (Replicator r : nodes.values()) {
            if (r.region().equals(region) && r.isLeader()) {
                leaders.add(r);
            }
        }
        return leaders;
    }

    @Override
    public void close() {
        for (Replicator r : nodes.values()) {
            try {
                r.close();
            } catch (RuntimeException e) {
                // keep closing the others; the benchmark result is already recorded
                System.err.println("closing " + r.nodeId() + " failed: " + e);
            }
        }
        nodes.clear();
        if (witness != null) {
            witness.close();
        }
        BenchSupport.deleteTree(root);
    }
}
