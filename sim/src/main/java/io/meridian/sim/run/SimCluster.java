package io.meridian.sim.run;

import io.meridian.support.LoopbackPorts;
import io.meridian.ClusterTopology;
import io.meridian.CrossRegionSettings;
import io.meridian.Position;
import io.meridian.Replicator;
import io.meridian.ReplicatorContext;
import io.meridian.Witness;
import io.meridian.kv.KvStateMachine;
import io.meridian.sim.report.RunReport;
import io.meridian.sim.wan.WanEmulator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * R regions of N {@link Replicator}s each, in this JVM, with cross-region traffic through a
 * {@link WanEmulator}. Regions are r0, r1, ...; r0 is the primary of epoch 1. With exactly two data
 * regions a {@link Witness} joins as third voter so a cut between them still leaves a majority.
 *
 * <p>Thread-safety: node lookups ({@link #leaderOf}, {@link #readableReplicas}) may be called from any
 * thread (the workload's); faults ({@link #crash}, {@link #restart}) come from the scenario thread.
 */
public final class SimCluster implements Cluster {

    private static final byte[] SECRET = "meridian-simulator-cluster-secret".getBytes(StandardCharsets.UTF_8);

    private final SimConfig config;
    private final Path dataRoot;
    private final WanEmulator wan;
    private final ClusterTopology topology;
    private final String witnessEndpoint;
    private final Map<String, String> regionOfEndpoint = new HashMap<>();
    private final Map<String, Replicator> running = new LinkedHashMap<>();
    private final Map<String, KvStateMachine> machines = new LinkedHashMap<>();
    private final Map<String, SlowApply> slowApplies = new HashMap<>();
    /** Starts per node: a restarted node is a new process whose reads start a new session. */
    private final Map<String, Integer> incarnations = new HashMap<>();
    private Witness witness;

    /** The nodes of every region in this JVM, fenced as by default (lease on), over an emulated WAN. */
    public SimCluster(SimConfig config, Path dataRoot) {
        this.config = config;
        this.dataRoot = dataRoot;
        this.wan = new WanEmulator(config.seed());
        wan.defaults().delay(config.wanDelay()).jitter(config.jitter()).loss(config.loss())
                .bandwidth(config.bandwidthBytesPerSecond());
        ClusterTopology.Builder b = ClusterTopology.builder();
        for (int r = 0; r < config.regions(); r++) {
            String region = "r" + r;
            b.region(region);
            for (int n = 1; n <= config.nodesPerRegion(); n++) {
                String aeron = LoopbackPorts.endpoint();
                b.node(region + "-" + n, LoopbackPorts.endpoint(), aeron);
                regionOfEndpoint.put(aeron, region);
            }
        }
        witnessEndpoint = config.regions() == 2 ? LoopbackPorts.endpoint() : null;
        if (witnessEndpoint != null) {
            regionOfEndpoint.put(witnessEndpoint, Witness.NAME);
            b.witness(witnessEndpoint);
        }
        this.topology = b.primary("r0").build();
    }

    /** Starts the witness (if any) and every node, then waits for a leader in every region. */
    @Override
    public void start(Duration timeout) {
        if (witnessEndpoint != null) {
            witness = Witness.start(witnessEndpoint, SECRET, dataRoot.resolve("witness.state"), "r0",
                    mapperFor(Witness.NAME));
        }
        topology.allNodes().forEach(n -> restart(n.nodeId()));
        for (String region : regions()) {
            awaitLeader(region, timeout);
        }
        awaitReadyToShip(Duration.ofSeconds(10));
    }

    /**
     * Load is admitted once the primary could serve it at full speed: its leader holds the lease and
     * has finished the handshake with every remote region. Otherwise the first writes measure
     * connection set-up (Aeron publications, handshakes, the first lease round), not replication.
     * A cluster that does not get there still runs (the scenario may be about exactly that).
     */
    private void awaitReadyToShip(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Replicator leader = leaderReplicator(primaryRegion() != null ? primaryRegion() : "r0");
            if (leader != null) {
                io.meridian.Health h = leader.health();
                if (h.leaseHeld() && h.remotes().size() == regions().size() - 1
                        && h.remotes().values().stream().allMatch(r -> "STREAMING".equals(r.state()))) {
                    return;
                }
            }
            pause(10);
        }
    }

    /** Where a node in {@code fromRegion} sends to reach an endpoint: other regions go through the WAN. */
    private Function<String, String> mapperFor(String fromRegion) {
        return endpoint -> {
            String to = regionOfEndpoint.get(endpoint);
            return to == null || to.equals(fromRegion) ? endpoint : wan.relayFor(fromRegion, to, endpoint);
        };
    }

    // KvCommand adds op (1) + key length (2) + key ("k" + up to 10 digits) to the value.
    private static final int KV_COMMAND_HEADROOM = 64;

    /** Starts (or restarts, from its data dir) a node. */
    @Override
    public synchronized void restart(String nodeId) {
        if (running.containsKey(nodeId)) {
            throw new IllegalStateException(nodeId + " is already running");
        }
        String region = topology.node(nodeId).orElseThrow(() -> new IllegalArgumentException("unknown node " + nodeId))
                .region();
        // Acks wait for several WAN round trips so a slow emulated link is not mistaken for a dead one.
        long rttMs = 2 * (config.wanDelay().toMillis() + config.jitter().toMillis());
        CrossRegionSettings xr = new CrossRegionSettings()
                .ackTimeout(Duration.ofMillis(Math.max(500, 6 * rttMs)))
                .handshakeTimeout(Duration.ofMillis(Math.max(300, 4 * rttMs)))
                .endpointMapper(mapperFor(region));
        // Fencing is on in every scenario, as it is by default: a guarantee that holds only with
        // hand-picked settings is not one.
        xr.lease(config.lease()).leaseMargin(Duration.ofMillis(300)).linger(config.linger());
        KvStateMachine kv = new KvStateMachine();
        SlowApply slow = new SlowApply(kv);
        Replicator r = Replicator.start(new ReplicatorContext()
                .nodeId(nodeId)
                .topology(topology)
                .dataDir(dataDir(nodeId))
                .stateMachine(slow)
                .electionTimeout(Duration.ofMillis(800))
                .applyTimeout(Duration.ofSeconds(5))
                .fsync(config.fsync())
                .clusterSecret(SECRET)
                // --payload is the value size: leave room for the KV command's op, key length and key.
                .maxPayloadBytes(Math.max(1024 * 1024, config.payloadBytes() + KV_COMMAND_HEADROOM))
                .crossRegion(xr));
        running.put(nodeId, r);
        machines.put(nodeId, kv);
        slowApplies.put(nodeId, slow);
        incarnations.merge(nodeId, 1, Integer::sum);
    }

    /** Closes a node as a process crash would: no hand-over, its data dir stays. */
    @Override
    public void crash(String nodeId) {
        Replicator r;
        synchronized (this) {
            r = running.remove(nodeId);
        }
        if (r == null) {
            throw new IllegalStateException(nodeId + " is not running");
        }
        r.close();
    }

    @Override
    public synchronized boolean isRunning(String nodeId) {
        return running.containsKey(nodeId);
    }

    synchronized List<Replicator> replicators() {
        return new ArrayList<>(running.values());
    }

    @Override
    public List<SimNode> readableReplicas() {
        List<SimNode> nodes = new ArrayList<>();
        for (Replicator r : replicators()) {
            JvmNode m = member(r);
            if (m != null) {
                nodes.add(m);
            }
        }
        return nodes;
    }

    /** A JVM cannot freeze some of its own threads the way SIGSTOP freezes a process. */
    @Override
    public boolean pause(String nodeId) {
        return false;
    }

    @Override
    public void resume(String nodeId) {
        // nothing was paused
    }

    public synchronized KvStateMachine kv(String nodeId) {
        return machines.get(nodeId);
    }

    /** {@code r} with its state machine, or null when {@code r} was closed since (its node crashed or restarted). */
    public synchronized JvmNode member(Replicator r) {
        if (r == null || running.get(r.nodeId()) != r) {
            return null;
        }
        return new JvmNode(r, machines.get(r.nodeId()), incarnations.getOrDefault(r.nodeId(), 0));
    }

    /** Pauses every apply on the running nodes of {@code region} by {@code perApply} (zero: back to normal). */
    @Override
    public synchronized void slowApplies(String region, Duration perApply) {
        running.forEach((node, r) -> {
            if (r.region().equals(region)) {
                slowApplies.get(node).pause(perApply);
            }
        });
    }

    /** The node the region's running nodes see as leader (highest term on a tie), or null. */
    Replicator leaderReplicator(String region) {
        return replicators().stream().filter(r -> r.region().equals(region) && r.isLeader())
                .max(Comparator.comparingLong(r -> r.health().term())).orElse(null);
    }

    @Override
    public JvmNode leaderOf(String region) {
        return member(leaderReplicator(region));
    }

    private Replicator awaitLeaderReplicator(String region, Duration timeout) {
        return ((JvmNode) awaitLeader(region, timeout)).replicator();
    }

    @Override
    public void cutNode(String nodeId) {
        wan.cutEndpoint(topology.node(nodeId).orElseThrow().aeronEndpoint());
    }

    @Override
    public Position promote(String region, boolean allowDataLoss, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return awaitLeaderReplicator(region, timeout).promote(allowDataLoss).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                boolean retriable = e.getCause() instanceof io.meridian.MeridianException me && me.isRetriable();
                if (!retriable || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
        }
    }

    @Override
    public CompletableFuture<Position> startPromotion(String region, boolean allowDataLoss) {
        return awaitLeaderReplicator(region, Duration.ofSeconds(30)).promote(allowDataLoss);
    }

    @Override
    public boolean awaitConvergence(Duration timeout) {
        return FinalState.awaitStable(() -> FinalState.converged(this), timeout, 50);
    }

    @Override
    public Final collectFinal() throws java.io.IOException {
        return new Final(FinalState.regions(this), FinalState.divergentTails(this));
    }

    /** The region's inbound lag from the final primary (else from whichever region sent the most). */
    @Override
    public RunReport.Lag inboundLag(String region, String primary) {
        Replicator leader = leaderReplicator(region);
        return leader == null ? new RunReport.Lag(0, 0, 0, 0) : FinalState.lag(leader.inboundLag(), primary);
    }

    @Override
    public Map<String, RunReport.StageLag> lagAnatomy(String region, String primary) {
        Replicator leader = leaderReplicator(region);
        Map<String, RunReport.StageLag> out = new java.util.LinkedHashMap<>();
        if (leader != null) {
            for (io.meridian.LagStageSnapshot s : leader.lagAnatomy().getOrDefault(primary, List.of())) {
                out.put(s.stage(), new RunReport.StageLag(s.count(), s.p50Micros(), s.p90Micros(), s.p99Micros(),
                        s.p999Micros(), s.maxMicros()));
            }
        }
        return out;
    }

    @Override
    public List<String> regions() {
        return topology.regionNames();
    }

    @Override
    public List<String> nodesIn(String region) {
        return topology.nodes(region).stream().map(ClusterTopology.NodeSpec::nodeId).toList();
    }

    public ClusterTopology topology() {
        return topology;
    }

    public Path dataDir(String nodeId) {
        return dataRoot.resolve(nodeId);
    }

    @Override
    public WanEmulator wan() {
        return wan;
    }

    public boolean hasWitness() {
        return witnessEndpoint != null;
    }

    /** Closes every node, the witness and the WAN, carrying on past failures. */
    @Override
    public void close() {
        for (Replicator r : replicators()) {
            try {
                r.close();
            } catch (RuntimeException ignored) {
                // best effort: the rest must still close
            }
        }
        synchronized (this) {
            running.clear();
        }
        if (witness != null) {
            try {
                witness.close();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        wan.close();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
