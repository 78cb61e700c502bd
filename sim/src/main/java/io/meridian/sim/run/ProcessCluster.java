package io.meridian.sim.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.Position;
import io.meridian.Witness;
import io.meridian.node.LocalCluster;
import io.meridian.sim.check.RegionFinalState;
import io.meridian.sim.check.WalView;
import io.meridian.sim.report.RunReport;
import io.meridian.sim.wan.WanEmulator;
import io.meridian.wal.ChronicleWal;
import io.meridian.wal.Wal;
import io.meridian.wal.WalConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One OS process per node ({@code meridian node}, started by the node module's {@link LocalCluster}
 * launcher, as {@code bin/meridian up} does), driven over the admin HTTP API. A crash is SIGKILL, a
 * pause SIGSTOP until SIGCONT, a restart recovers from the node's data dir. Cross-region traffic
 * still crosses the {@link WanEmulator}: each node's config maps every other region's Aeron
 * endpoint to the relay for that link ({@code crossRegion.endpointMap}), so partitions and delay
 * act on processes exactly as in-JVM. At the end the processes are stopped and their WALs are read
 * from disk.
 */
public final class ProcessCluster implements Cluster {

    private final SimConfig config;
    private final PrintStream out;
    private final LocalCluster launcher;
    private final WanEmulator wan;
    private final Map<String, List<String>> regions = new LinkedHashMap<>();
    private final Map<String, String> aeronOf = new HashMap<>();
    private final Map<String, Integer> incarnations = new ConcurrentHashMap<>();
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Thread reaper = new Thread(this::killAll, "sim-process-reaper");
    private NodeHttp http;
    private StatusBoard board;
    private Map<String, String> admins;

    public ProcessCluster(SimConfig config, Path dataRoot, PrintStream out) {
        this.config = config;
        this.out = out;
        this.launcher = new LocalCluster(dataRoot.resolve("cluster"), new PrintWriter(out, true));
        this.wan = new WanEmulator(config.seed());
        wan.defaults().delay(config.wanDelay()).jitter(config.jitter()).loss(config.loss())
                .bandwidth(config.bandwidthBytesPerSecond());
    }

    @Override
    public void start(Duration timeout) throws Exception {
        // Lease as configured; no fsync unless asked, as in-JVM (every process shares this machine's disk).
        launcher.generateIfMissing(new LocalCluster.Layout(config.regions(), config.nodesPerRegion(), 0,
                config.lease().toMillis(), "256m", config.fsync()));
        readTopology();
        for (String id : launcher.nodes()) {
            routeThroughWan(id);
        }
        admins = launcher.adminAddresses();
        http = new NodeHttp(Files.readString(launcher.adminTokenFile()).strip());
        board = new StatusBoard(admins, http);
        Runtime.getRuntime().addShutdownHook(reaper);
        launcher.nodes().forEach(id -> incarnations.put(id, 1));
        out.println("starting " + launcher.nodes().size() + " node processes in " + launcher.dir());
        launcher.startMissing("256m");
        board.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String region : regions()) {
            awaitLeader(region, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        while (!"PRIMARY".equals(roles().get("r0")) || !board.status(leaderOf("r0").nodeId()).path("lease_held").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("r0 holds no lease after " + timeout.toSeconds() + " s");
            }
            SimCluster.pause(100);
        }
    }

    /** Regions, nodes and Aeron endpoints from the generated topology ("r0=r0-1@raft/aeron,...;r1=..."). */
    private void readTopology() throws IOException {
        for (String line : Files.readAllLines(launcher.dir().resolve("r0-1.yaml"), StandardCharsets.UTF_8)) {
            if (line.startsWith("topology:")) {
                String text = line.substring("topology:".length()).trim().replace("\"", "");
                for (String region : text.split(";")) {
                    String name = region.substring(0, region.indexOf('='));
                    List<String> nodes = new ArrayList<>();
                    for (String node : region.substring(name.length() + 1).split(",")) {
                        String id = node.substring(0, node.indexOf('@'));
                        nodes.add(id);
                        aeronOf.put(id, node.substring(node.indexOf('/') + 1));
                    }
                    regions.put(name, nodes);
                }
            } else if (line.startsWith("witnessEndpoint:")) {
                aeronOf.put(Witness.NAME, line.substring("witnessEndpoint:".length()).trim());
            }
        }
    }

    private static String regionOf(String nodeId) {
        return Witness.NAME.equals(nodeId) ? Witness.NAME : nodeId.substring(0, nodeId.lastIndexOf('-'));
    }

    /** Appends the node's endpoint map (other regions' endpoints to their relays) and a shorter apply timeout. */
    private void routeThroughWan(String id) throws IOException {
        String from = regionOf(id);
        StringBuilder map = new StringBuilder("  endpointMap:\n");
        aeronOf.forEach((node, endpoint) -> {
            String to = regionOf(node);
            if (!to.equals(from)) {
                map.append("    \"").append(endpoint).append("\": \"").append(wan.relayFor(from, to, endpoint))
                        .append("\"\n");
            }
        });
        Path yaml = launcher.dir().resolve(id + ".yaml");
        // A write stuck behind a paused or cut-off leader holds one of the node's 8 HTTP threads: 5 s, not 10.
        String text = Files.readString(yaml, StandardCharsets.UTF_8).replace("applyTimeoutMs: 10000", "applyTimeoutMs: 5000");
        Files.writeString(yaml, text + map, StandardCharsets.UTF_8);
    }

    @Override
    public List<String> regions() {
        return List.copyOf(regions.keySet());
    }

    @Override
    public List<String> nodesIn(String region) {
        return regions.getOrDefault(region, List.of());
    }

    @Override
    public SimNode leaderOf(String region) {
        return nodesIn(region).stream().filter(id -> !down.contains(id))
                .filter(id -> "LEADER".equals(board.status(id).path("role").asText()))
                .max(Comparator.comparingLong(id -> board.status(id).path("term").asLong()))
                .map(this::node).orElse(null);
    }

    private ProcessNode node(String id) {
        return new ProcessNode(id, regionOf(id), incarnations.getOrDefault(id, 1), admins.get(id), http, board);
    }

    /** Local reads are not bracketed by the applied index over HTTP, so the process workload does none. */
    @Override
    public List<SimNode> readableReplicas() {
        return List.of();
    }

    @Override
    public boolean isRunning(String nodeId) {
        return !down.contains(nodeId);
    }

    @Override
    public void crash(String nodeId) {
        try {
            ProcessHandle h = launcher.runningPid(nodeId).orElseThrow(() -> new IllegalStateException(nodeId + " is not running"));
            down.add(nodeId);
            board.forget(nodeId);
            h.destroyForcibly();
            h.onExit().get(15, TimeUnit.SECONDS);
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot kill " + nodeId + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void restart(String nodeId) {
        try {
            incarnations.merge(nodeId, 1, Integer::sum);
            launcher.startMissing("256m");
            down.remove(nodeId);
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart " + nodeId + ": " + e, e);
        }
    }

    @Override
    public boolean answers(String nodeId) {
        return !down.contains(nodeId) && !board.status(nodeId).isMissingNode();
    }

    @Override
    public boolean pause(String nodeId) {
        signal(nodeId, "STOP");
        down.add(nodeId);
        board.forget(nodeId);
        return true;
    }

    @Override
    public void resume(String nodeId) {
        signal(nodeId, "CONT");
        down.remove(nodeId);
    }

    /** ProcessHandle sends only SIGTERM and SIGKILL; the shell's kill sends the others. */
    private void signal(String nodeId, String signal) {
        try {
            long pid = launcher.runningPid(nodeId).orElseThrow(() -> new IllegalStateException(nodeId + " is not running")).pid();
            Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + nodeId + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal " + nodeId + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void cutNode(String nodeId) {
        wan.cutEndpoint(aeronOf.get(nodeId));
    }

    @Override
    public WanEmulator wan() {
        return wan;
    }

    @Override
    public Position promote(String region, boolean allowDataLoss, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SimNode leader = awaitLeader(region, timeout);
            NodeHttp.Reply r = http.call("POST", admins.get(leader.nodeId()), "/admin/promote?allowDataLoss=" + allowDataLoss,
                    timeout);
            if (r.ok()) {
                return new Position(r.body().path("epoch").asLong(), r.body().path("index").asLong());
            }
            if (!r.body().path("retriable").asBoolean() || System.nanoTime() > deadline) {
                throw new IllegalStateException("promotion of " + region + " refused: " + r.describe());
            }
            SimCluster.pause(200);
        }
    }

    @Override
    public CompletableFuture<Position> startPromotion(String region, boolean allowDataLoss) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return promote(region, allowDataLoss, Duration.ofSeconds(30));
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    @Override
    public void slowApplies(String region, Duration perApply) {
        throw new UnsupportedOperationException("slowing applies needs the in-JVM cluster");
    }

    @Override
    public boolean awaitConvergence(Duration timeout) {
        return FinalState.awaitStable(this::converged, timeout, 100);
    }

    /** Every data node answers with the same applied index and digest, and every region has a leader. */
    private boolean converged() {
        String seen = null;
        for (String region : regions()) {
            if (leaderOf(region) == null) {
                return false;
            }
            for (String id : nodesIn(region)) {
                JsonNode s = board.status(id);
                String state = s.path("applied_index").asText() + "/" + s.path("kv_digest").asText();
                if (s.isMissingNode() || (seen != null && !seen.equals(state))) {
                    return false;
                }
                seen = state;
            }
        }
        return seen != null;
    }

    @Override
    public RunReport.Lag inboundLag(String region, String primary) {
        SimNode leader = leaderOf(region);
        return StatusLag.inbound(leader == null ? null : board.status(leader.nodeId()), primary);
    }

    @Override
    public Map<String, RunReport.StageLag> lagAnatomy(String region, String primary) {
        SimNode leader = leaderOf(region);
        return StatusLag.anatomy(leader == null ? null : board.status(leader.nodeId()), primary);
    }

    /** Digests from the leaders' last status, then stops every process (SIGTERM) and reads the WALs from disk. */
    @Override
    public Final collectFinal() throws IOException {
        Map<String, String> digests = new LinkedHashMap<>();
        for (String region : regions()) {
            SimNode leader = leaderOf(region);
            digests.put(region, leader == null ? null : board.status(leader.nodeId()).path("kv_digest").asText(null));
        }
        board.close();
        launcher.stopAll(Duration.ofSeconds(20));
        List<RegionFinalState> finals = new ArrayList<>();
        for (String region : regions()) {
            List<WalView> views = new ArrayList<>();
            for (String id : nodesIn(region)) {
                try (Wal wal = ChronicleWal.open(WalConfig.of(dataDir(id).resolve("wal")))) {
                    views.add(new WalView(id, FinalState.entries(wal)));
                }
            }
            finals.add(new RegionFinalState(region, digests.get(region), views));
        }
        return new Final(finals, FinalState.divergentTails(this, this::dataDir));
    }

    /** Where {@code meridian up}'s configs put a node's data ({@code dataDir: data/<node>}). */
    public Path dataDir(String nodeId) {
        return launcher.dir().resolve("data").resolve(nodeId);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down (the hook runs anyway) or never registered
        }
        killAll();
        if (board != null) {
            board.close();
        }
        if (http != null) {
            http.close();
        }
        wan.close();
    }

    /** SIGKILL needs no SIGCONT: stopped processes die too. The launcher then removes pid files and /dev/shm dirs. */
    private void killAll() {
        try {
            for (String id : launcher.nodes()) {
                var h = launcher.runningPid(id);
                if (h.isPresent()) {
                    h.get().destroyForcibly();
                    h.get().onExit().get(15, TimeUnit.SECONDS);
                }
            }
            launcher.stopAll(Duration.ZERO);
        } catch (Exception e) {
            out.println("teardown: " + e);
        }
    }
}
