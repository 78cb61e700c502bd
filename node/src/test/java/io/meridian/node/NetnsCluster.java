package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Two regions of three node processes plus a witness, each process on its own host: a namespace of
 * a {@link NetnsLab}, with its own addresses on the lab's lan, wan and mgmt networks and the ports of
 * docs/deploy.md (Raft 7001, Aeron 8001, admin 9101). The test talks to the admin APIs through a
 * {@link NetnsTunnel}, and runs {@code meridian ctl} the way an operator would, on the ops host
 * ({@code ip netns exec <ops> meridian ctl ...}). {@link #close()} kills every process and deletes
 * every namespace, and a JVM shutdown hook does it if the test is interrupted.
 */
final class NetnsCluster implements AutoCloseable {

    private final NetnsLab lab;
    private final LocalCluster cluster;
    private final NetnsTunnel tunnel;
    private final AdminClient quick;

    private NetnsCluster(NetnsLab lab, LocalCluster cluster, NetnsTunnel tunnel) throws IOException {
        this.lab = lab;
        this.cluster = cluster;
        this.tunnel = tunnel;
        this.quick = client(Duration.ofSeconds(3));
    }

    /**
     * Why these tests cannot run here (logged by the caller's assumption), or empty. Installs iproute2
     * first when it is missing and can be (deploy/netns/ensure-iproute2.sh, as test-rules.sh does for
     * promtool).
     */
    static Optional<String> unavailable() throws IOException, InterruptedException {
        Path script = AlertRulesTest.repoRoot().resolve("deploy/netns/ensure-iproute2.sh");
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return Optional.of("ensure-iproute2.sh did not finish: " + out);
        }
        if (p.exitValue() != 0) {
            return Optional.of(out.strip());
        }
        return Netns.unavailableReason();
    }

    /** Builds the lab, writes the configs (as `meridian up --netns` does), starts every node and waits for health. */
    static NetnsCluster up(Path dir, long leaseMs) throws Exception {
        List<String> stale = NetnsLab.cleanStale();
        if (!stale.isEmpty()) {
            System.out.println("removed stale namespaces of earlier runs: " + stale);
        }
        NetnsLab lab = NetnsLab.create(NetnsLab.runPrefix(), 2, 3, true, true);
        NetnsTunnel tunnel = null;
        try {
            LocalCluster cluster = new LocalCluster(dir, new PrintWriter(new StringWriter(), true));
            cluster.generateIfMissing(new LocalCluster.Layout(2, 3, 0, leaseMs, "200m", true), Optional.of(lab));
            tunnel = NetnsTunnel.start(lab.execPrefix(NetnsLab.OPS), dir.resolve("relay.sock"), dir.resolve("relay.log"));
            NetnsCluster c = new NetnsCluster(lab, cluster, tunnel);
            long t0 = System.nanoTime();
            cluster.startMissing("200m", lab::execPrefix);
            c.awaitHealthy(lab.nodes(), Duration.ofSeconds(150));
            System.out.printf("netns up: %d processes healthy after %d ms%n", lab.nodes().size(),
                    (System.nanoTime() - t0) / 1_000_000);
            return c;
        } catch (Exception | Error e) {
            if (tunnel != null) {
                tunnel.close();
            }
            lab.close();
            throw e;
        }
    }

    NetnsLab lab() {
        return lab;
    }

    Path dir() {
        return cluster.dir();
    }

    AdminClient client(Duration timeout) throws IOException {
        return new AdminClient(timeout, Files.readString(cluster.adminTokenFile()).strip(), null);
    }

    /** A loopback address that reaches node {@code id}'s admin API inside the lab. */
    String admin(String id) {
        return tunnel.forward(lab.adminEndpoint(id));
    }

    List<String> region(String region) {
        return lab.nodes().stream().filter(id -> id.startsWith(region + "-")).toList();
    }

    List<String> dataNodes() {
        return lab.nodes().stream().filter(id -> !id.equals(io.meridian.Witness.NAME)).toList();
    }

    /** The node's {@code /status}, or a MissingNode when it does not answer in time. */
    JsonNode status(String id) {
        try {
            AdminClient.Reply r = quick.get(admin(id), "/status");
            return r.ok() ? r.json() : MissingNode.getInstance();
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    boolean healthy(String id) {
        try {
            return quick.get(admin(id), "/health").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    void awaitHealthy(List<String> ids, Duration atMost) {
        await("healthy: " + ids).atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> ids.stream().allMatch(this::healthy));
    }

    /** The node of {@code region} that leads it (and, in the primary region, holds the lease). */
    Optional<String> leaderOf(String region) {
        return region(region).stream().filter(id -> {
            JsonNode s = status(id);
            return "LEADER".equals(s.path("role").asText()) && (!"PRIMARY".equals(s.path("region_role").asText())
                    || s.path("lease_held").asBoolean());
        }).findFirst();
    }

    /**
     * {@code meridian ctl --addr ADDR --token-file TOKEN ARGS} run on the ops host, as docs/deploy.md
     * writes it; returns its exit code and output.
     */
    CtlResult ctl(String addrOf, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(lab.execPrefix(NetnsLab.OPS));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", LocalCluster.absoluteClassPath(), MeridianCli.class.getName(), "ctl",
                "--addr", lab.adminEndpoint(addrOf), "--token-file", cluster.adminTokenFile().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith(EnvOverrides.PREFIX));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ctl " + String.join(" ", args) + " did not finish: " + out);
        }
        System.out.printf("$ meridian ctl --addr %s %s -> %d%n%s", lab.adminEndpoint(addrOf), String.join(" ", args),
                p.exitValue(), out);
        return new CtlResult(p.exitValue(), out);
    }

    record CtlResult(int code, String output) { }

    /** The restart of docs/deploy.md (systemctl restart): SIGTERM, wait for the exit, start again. */
    void restart(String id) throws Exception {
        ProcessHandle h = cluster.runningPid(id).orElseThrow(() -> new AssertionError(id + " is not running"));
        h.destroy();
        h.onExit().get(60, TimeUnit.SECONDS);
        cluster.startMissing("200m", lab::execPrefix);
    }

    /** Starts the nodes that are not running (e.g. after {@link #kill}). */
    void startMissing() throws IOException {
        cluster.startMissing("200m", lab::execPrefix);
    }

    void kill(String id) throws Exception {
        ProcessHandle h = cluster.runningPid(id).orElseThrow();
        h.destroyForcibly();
        h.onExit().get(10, TimeUnit.SECONDS);
    }

    /** Every answering data node's {@code kv_digest@last_index/epoch}, keyed by node. */
    Map<String, String> digests() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String id : dataNodes()) {
            JsonNode s = status(id);
            out.put(id, s.isMissingNode() ? "DOWN" : s.path("kv_digest").asText() + "@" + s.path("last_index").asLong()
                    + "/epoch" + s.path("epoch").asLong());
        }
        return out;
    }

    /** The last lines of every node's log, for failure messages. */
    String logTails() {
        StringBuilder b = new StringBuilder();
        for (String id : lab.nodes()) {
            Path log = cluster.dir().resolve(id + ".log");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
                b.append("---- ").append(id).append(" (last lines)\n");
                lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(l -> b.append(l).append('\n'));
            } catch (IOException e) {
                b.append("---- ").append(id).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        tunnel.close();
        // Deleting a namespace kills what runs in it; then the pid files and Aeron directories go.
        lab.close();
        try {
            cluster.stopAll(Duration.ZERO);
        } catch (IOException e) {
            System.out.println("teardown: " + e);
        }
    }
}
