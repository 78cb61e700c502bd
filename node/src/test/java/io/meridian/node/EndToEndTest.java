package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The "done when": 2 regions x 3 node processes (+ witness) from the launcher, writes over
 * HTTP, kill -9 of the primary's leader, more writes, a new leader and a converged remote region
 * seen through {@code ctl status --json}, a switchover through ctl, equal digests everywhere.
 */
@Timeout(300)
class EndToEndTest {

    @TempDir
    Path dir;

    private Path run;
    /** With the token `up` wrote to run/admin.token (set once the cluster is up). */
    private AdminClient http;

    record Cli(int code, String out, String err) { }

    private static Cli cli(String... args) {
        return cli(Map.of(), args);
    }

    private static Cli cli(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MeridianCli.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(code, out.toString(), err.toString());
    }

    /** ctl against the `up` cluster: --dir makes it use run/admin.token. */
    private Cli ctl(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "ctl";
        all[1] = "--dir";
        all[2] = run.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return cli(all);
    }

    @AfterEach
    void down() {
        if (run != null) {
            Cli down = cli("down", "--dir", run.toString(), "--grace", "15");
            System.out.println("down: " + down.out() + down.err());
        }
    }

    private List<JsonNode> status(String addr) throws Exception {
        Cli c = ctl("--addr", addr, "status", "--json");
        assertThat(c.code()).as("ctl status: %s", c.err()).isZero();
        List<JsonNode> nodes = new ArrayList<>();
        Http.JSON.readTree(c.out()).path("nodes").forEach(nodes::add);
        return nodes;
    }

    private static List<JsonNode> dataNodesUp(List<JsonNode> nodes) {
        return nodes.stream().filter(n -> n.path("up").asBoolean() && !n.path("region").asText().equals("witness")).toList();
    }

    /** Writes through whichever node leads the primary region, following the cluster through failures. */
    private void write(String addr, String key, String value) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            String target = ClusterView.fetch(http, addr).primaryLeader().orElseThrow().admin();
            return http.send("PUT", target, "/kv/" + key, value.getBytes(StandardCharsets.UTF_8)).status() == 200;
        });
    }

    @Test
    void killTheLeaderThenSwitchOverAndEverythingConverges() throws Exception {
        run = dir.resolve("run");
        long t0 = System.nanoTime();
        Cli up = cli("up", "--regions", "2", "--nodes-per-region", "3", "--dir", run.toString(), "--wait", "200");
        assertThat(up.code()).as("up failed: %s", up.err()).isZero();
        Map<String, String> admins = new LinkedHashMap<>();
        up.out().lines().map(l -> l.split(" ")).forEach(p -> admins.put(p[0], p[1]));
        assertThat(admins.keySet()).containsExactly("r0-1", "r0-2", "r0-3", "r1-1", "r1-2", "r1-3", "witness");
        assertThat(admins.values()).allMatch(a -> a.matches("127\\.0\\.0\\.1:\\d+"));
        System.out.printf("up took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        String addr = admins.get("r1-1");
        Path tokenFile = run.resolve(AdminToken.FILE_NAME);
        String token = Files.readString(tokenFile).strip();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                .isEqualTo("rw-------");
        assertThat(up.err()).contains(tokenFile.toString()).doesNotContain(token);
        http = new AdminClient(Duration.ofSeconds(15), token, null);
        assertThat(new AdminClient(Duration.ofSeconds(15)).get(admins.get("witness"), "/status").status())
                .as("the witness's API needs the token too").isEqualTo(401);

        for (int i = 0; i < 20; i++) {
            write(addr, "k" + i, "v" + i);
        }
        String oldLeader = ClusterView.fetch(http, addr).primaryLeader().orElseThrow().node();
        assertThat(oldLeader).startsWith("r0-");
        long pid = Long.parseLong(Files.readString(run.resolve(oldLeader + ".pid")).trim());
        ProcessHandle victim = ProcessHandle.of(pid).orElseThrow();
        victim.destroyForcibly();
        victim.onExit().get();
        long killedAt = System.nanoTime();

        for (int i = 20; i < 40; i++) {
            write(addr, "k" + i, "v" + i);
        }
        System.out.printf("writes resumed %d ms after kill -9 of %s%n", (System.nanoTime() - killedAt) / 1_000_000, oldLeader);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<JsonNode> nodes = status(addr);
            JsonNode killed = nodes.stream().filter(n -> n.path("node").asText().equals(oldLeader)).findFirst().orElseThrow();
            assertThat(killed.path("role").asText()).isEqualTo("DOWN");
            JsonNode newLeader = nodes.stream().filter(n -> n.path("region").asText().equals("r0")
                    && n.path("role").asText().equals("LEADER")).findFirst().orElseThrow();
            assertThat(newLeader.path("node").asText()).isNotEqualTo(oldLeader);
            assertThat(newLeader.path("region_role").asText()).isEqualTo("PRIMARY");
            long last = newLeader.path("last_index").asLong();
            assertThat(dataNodesUp(nodes)).hasSize(5)
                    .allSatisfy(n -> assertThat(n.path("last_index").asLong()).as(n.path("node").asText()).isEqualTo(last));
        });

        Cli switchover = cli(Map.of(AdminToken.VARIABLE, token), "ctl", "--addr", addr, "switchover", "r1");
        assertThat(switchover.code()).as("switchover: %s", switchover.err()).isZero();
        System.out.print(switchover.out());
        Cli put = ctl("--addr", addr, "put", "after", "switchover");
        assertThat(put.code()).as("put after switchover: %s", put.err()).isZero();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<JsonNode> nodes = dataNodesUp(status(addr));
            assertThat(nodes).hasSize(5);
            assertThat(nodes).filteredOn(n -> n.path("role").asText().equals("LEADER") && n.path("region").asText().equals("r1"))
                    .singleElement().satisfies(n -> {
                        assertThat(n.path("region_role").asText()).isEqualTo("PRIMARY");
                        assertThat(n.path("epoch").asLong()).isEqualTo(2);
                    });
            Set<Long> lastIndexes = nodes.stream().map(n -> n.path("last_index").asLong()).collect(Collectors.toSet());
            Set<String> digests = nodes.stream().map(n -> n.path("kv_digest").asText()).collect(Collectors.toSet());
            assertThat(lastIndexes).hasSize(1);
            assertThat(digests).hasSize(1);
        });
        Cli get = ctl("--addr", admins.get("r0-2").equals(admins.get(oldLeader)) ? admins.get("r0-3") : admins.get("r0-2"),
                "get", "k25", "--stale");
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(get.out().strip()).isEqualTo("v25");
        Cli table = ctl("--addr", addr, "status");
        System.out.print(table.out());
        assertThat(table.out()).contains("NODE", "LAST_INDEX", "DOWN", oldLeader);

        List<ProcessHandle> live = new ArrayList<>();
        for (String id : admins.keySet()) {
            if (!id.equals(oldLeader)) {
                live.add(ProcessHandle.of(Long.parseLong(Files.readString(run.resolve(id + ".pid")).trim())).orElseThrow());
            }
        }
        Cli down = cli("down", "--dir", run.toString(), "--grace", "30");
        assertThat(down.code()).as(down.err()).isZero();
        assertThat(down.err()).as("every node stops gracefully on SIGTERM").doesNotContain("SIGKILL");
        assertThat(down.out()).contains("stopped 6 node(s)");
        assertThat(live).noneMatch(ProcessHandle::isAlive);
        assertThat(run.resolve("witness.pid")).doesNotExist();
        run = null;
    }
}
