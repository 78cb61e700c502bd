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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local cluster of real node processes for fault tests, started through the launcher's own code
 * paths ({@link LocalCluster} generates the configs, {@code meridian up} starts the processes and
 * waits until every {@code /health} is 200). Faults are POSIX signals to the node's pid, never a
 * close(): SIGSTOP freezes every thread of the JVM at once, as a long GC pause or a frozen VM would.
 * {@link #close()} kills every process, stopped or not, so a failing test leaves nothing running.
 */
final class ProcessCluster implements AutoCloseable {

    private final LocalCluster cluster;
    private final Map<String, String> admins;
    private final String token;
    /** Short timeout: a stopped process accepts TCP connections (the kernel does) but never answers. */
    private final AdminClient quick;

    /** Kills the processes even if the test JVM itself is stopped (a CI timeout) before teardown runs. */
    private final Thread reaper = new Thread(this::killAll, "process-cluster-reaper");

    private ProcessCluster(LocalCluster cluster, Map<String, String> admins, String token) {
        this.cluster = cluster;
        this.admins = admins;
        this.token = token;
        this.quick = client(Duration.ofSeconds(2));
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Generates a two-region cluster (plus the witness `up` adds for two regions) in {@code dir},
     * lets {@code editYaml} rewrite each config, then starts it with {@code meridian up}.
     */
    static ProcessCluster up(Path dir, int nodesPerRegion, long leaseMs, UnaryOperator<String> editYaml) throws IOException {
        StringWriter log = new StringWriter();
        LocalCluster cluster = new LocalCluster(dir, new PrintWriter(log, true));
        cluster.generateIfMissing(new LocalCluster.Layout(2, nodesPerRegion, 0, leaseMs, "200m", false));
        for (String id : cluster.nodes()) {
            Path yaml = dir.resolve(id + ".yaml");
            Files.writeString(yaml, editYaml.apply(Files.readString(yaml, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }
        // Before anything starts, so that a failing or interrupted `up` leaves nothing running either.
        ProcessCluster pc = new ProcessCluster(cluster, cluster.adminAddresses(),
                Files.readString(cluster.adminTokenFile()).strip());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code;
        try {
            // `up` on a directory holding configs reuses them and starts every node that is not running.
            code = MeridianCli.run(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true),
                    "up", "--dir", dir.toString(), "--heap", "200m", "--wait", "150");
        } catch (RuntimeException | Error e) {
            pc.close();
            throw e;
        }
        if (code != 0) {
            String logs = pc.logTails();
            pc.close();
            throw new AssertionError("meridian up failed (" + code + "): " + err + "\n" + logs);
        }
        System.out.printf("up: %d processes healthy after %d ms%n", pc.admins.size(), (System.nanoTime() - t0) / 1_000_000);
        return pc;
    }

    /** A client with the cluster's admin token. */
    AdminClient client(Duration timeout) {
        return new AdminClient(timeout, token, null);
    }

    String admin(String id) {
        return admins.get(id);
    }

    /** The data nodes of one region, e.g. {@code r0-1, r0-2, r0-3} for {@code r0}. */
    List<String> region(String region) {
        return admins.keySet().stream().filter(id -> id.startsWith(region + "-")).toList();
    }

    List<String> dataNodes() {
        return admins.keySet().stream().filter(id -> !id.equals(io.meridian.Witness.NAME)).toList();
    }

    long pid(String id) throws IOException {
        return Long.parseLong(Files.readString(cluster.dir().resolve(id + ".pid")).trim());
    }

    /**
     * Sends a signal with the shell's kill: ProcessHandle offers only SIGTERM and SIGKILL, and sh is on
     * every CI image where a separate kill binary may not be.
     */
    void signal(String id, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid(id)).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %s: %s", signal, id,
                new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill(String id) throws Exception {
        ProcessHandle h = ProcessHandle.of(pid(id)).orElseThrow();
        h.destroyForcibly();
        h.onExit().get(10, TimeUnit.SECONDS);
    }

    /** The node's {@code /status}, or a MissingNode when it does not answer in time. */
    JsonNode status(String id) {
        try {
            AdminClient.Reply r = quick.get(admins.get(id), "/status");
            return r.ok() ? r.json() : MissingNode.getInstance();
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** The node of {@code region} that says it leads it (and, for the primary, holds the lease). */
    Optional<String> leaderOf(String region) {
        return region(region).stream().filter(id -> {
            JsonNode s = status(id);
            return "LEADER".equals(s.path("role").asText()) && (!"PRIMARY".equals(s.path("region_role").asText())
                    || s.path("lease_held").asBoolean());
        }).findFirst();
    }

    /** Waits for a node chosen by {@code probe}, e.g. a region's leader. */
    static String awaitNode(String what, java.util.concurrent.Callable<Optional<String>> probe) {
        return org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(probe, Optional::isPresent).orElseThrow();
    }

    /** PUT through node {@code id}, retried until acknowledged (e.g. while its lease is not yet held). */
    void putUntilOk(AdminClient http, String id, String key, String value) {
        org.awaitility.Awaitility.await("put " + key).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> http.send("PUT", admins.get(id), "/kv/" + key,
                        value.getBytes(StandardCharsets.UTF_8)).status() == 200);
    }

    /** Every answering data node's {@code kv_digest} and {@code last_index}, keyed by node. */
    Map<String, String> digests(List<String> nodes) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : nodes) {
            JsonNode s = status(id);
            out.put(id, s.isMissingNode() ? "DOWN" : s.path("kv_digest").asText() + "@" + s.path("last_index").asLong()
                    + "/epoch" + s.path("epoch").asLong());
        }
        return out;
    }

    /** The last lines of every node's log, for failure messages. */
    String logTails() {
        StringBuilder b = new StringBuilder();
        for (String id : admins.keySet()) {
            Path log = cluster.dir().resolve(id + ".log");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
                b.append("---- ").append(id).append(" (last lines)\n");
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> b.append(l).append('\n'));
            } catch (IOException e) {
                b.append("---- ").append(id).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * Kills every node process, stopped ones included (SIGKILL needs no SIGCONT), then lets the launcher
     * remove pid files and the Aeron directories killed processes leave in /dev/shm.
     */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        killAll();
    }

    private void killAll() {
        try {
            for (String id : cluster.nodes()) {
                Optional<ProcessHandle> h = cluster.runningPid(id);
                if (h.isPresent()) {
                    h.get().destroyForcibly();
                    h.get().onExit().get(15, TimeUnit.SECONDS);
                }
            }
            cluster.stopAll(Duration.ZERO);
        } catch (Exception e) {
            System.out.println("teardown: " + e);
        }
    }
}
