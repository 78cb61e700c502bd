package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.support.LoopbackPorts;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live membership end to end, with node processes under write load: {@code ctl add-node} adds a
 * fourth voter and an observer to the running secondary region (each started with {@code join: true}
 * and a topology that lists it), {@code ctl remove-node} removes one of its original nodes, and every
 * node's {@code /status} and {@code ctl info} list the new membership with each member's role; then
 * a write sent to the new voter of the secondary region is forwarded to the primary and
 * acknowledged, and its retry with the same Idempotency-Key is answered with the first position
 * (issue 15's end-to-end scenario in one test).
 */
@Timeout(420)
class LiveMembershipProcessTest {

    @TempDir
    Path dir;

    private record Cli(int code, String out, String err) { }

    private Cli ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "ctl";
        all[1] = "--dir";
        all[2] = dir.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        int code = MeridianCli.run(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Cli(code, out.toString(), err.toString());
    }

    /** A config for a new node of r1, derived from r1-1's: its own id, ports and data, the topology listing it. */
    private Map<String, String> writeJoinerConfig(String id, String topologyAddition, Map<String, String> admins)
            throws Exception {
        String raft = "127.0.0.1:" + LoopbackPorts.free();
        String aeron = "127.0.0.1:" + LoopbackPorts.free();
        String admin = "127.0.0.1:" + LoopbackPorts.free();
        Map<String, String> ports = Map.of("raft", raft, "aeron", aeron, "admin", admin);
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("r1-1.yaml"), StandardCharsets.UTF_8)) {
            if (line.startsWith("nodeId:")) {
                out.add("nodeId: " + id);
                out.add("join: true");
            } else if (line.startsWith("topology:")) {
                String t = line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
                out.add("topology: \"" + t + topologyAddition + "," + id + "@" + raft + "/" + aeron + "\"");
            } else if (line.startsWith("dataDir:")) {
                out.add("dataDir: data/" + id);
            } else if (line.startsWith("adminEndpoint:")) {
                out.add("adminEndpoint: " + admin);
            } else if (line.startsWith("adminEndpoints:")) {
                out.add(line);
                out.add("  " + id + ": " + admin);
            } else {
                out.add(line);
            }
        }
        Files.write(dir.resolve(id + ".yaml"), out, StandardCharsets.UTF_8);
        admins.put(id, admin);
        return ports;
    }

    @Test
    void addsAVoterAndAnObserverThenRemovesANodeUnderWriteLoad() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.up(dir, 3, 1500, y -> y)) {
            AdminClient http = cluster.client(Duration.ofSeconds(10));
            Map<String, String> admins = new LinkedHashMap<>();
            cluster.dataNodes().forEach(id -> admins.put(id, cluster.admin(id)));
            String anyAddr = cluster.admin("r0-2");

            // Write load through the primary's leader for the whole test.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger acked = new AtomicInteger();
            Thread writer = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    try {
                        String leader = cluster.leaderOf("r0").orElse(null);
                        if (leader != null && http.send("PUT", cluster.admin(leader), "/kv/load-" + i,
                                ("v" + i).getBytes(StandardCharsets.UTF_8)).status() == 200) {
                            acked.incrementAndGet();
                            i++;
                        }
                    } catch (Exception retry) {
                        // a retriable refusal or a timeout: the loop tries again
                    }
                }
            }, "write-load");
            writer.start();
            try {
                Map<String, String> voter = writeJoinerConfig("r1-4", "", admins);
                Map<String, String> observer = writeJoinerConfig("r1-5",
                        "," + "r1-4@" + voter.get("raft") + "/" + voter.get("aeron"), admins);
                new LocalCluster(dir, new PrintWriter(new StringWriter(), true)).startMissing("200m");
                for (String id : List.of("r1-4", "r1-5")) {
                    await(id + " admin API").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                            .until(() -> http.get(admins.get(id), "/status").ok());
                }

                Cli addVoter = ctl("--addr", anyAddr, "add-node", "r1", "r1-4", "--raft", voter.get("raft"),
                        "--aeron", voter.get("aeron"), "--admin", voter.get("admin"));
                assertThat(addVoter.code()).as("add-node r1-4: %s %s\n%s", addVoter.out(), addVoter.err(),
                        cluster.logTails()).isZero();
                Cli addObserver = ctl("--addr", anyAddr, "add-node", "r1", "r1-5", "--observer", "--raft",
                        observer.get("raft"), "--aeron", observer.get("aeron"), "--admin", observer.get("admin"));
                assertThat(addObserver.code()).as("add-node r1-5: %s %s", addObserver.out(), addObserver.err()).isZero();

                awaitMembership(http, admins, List.of("r1-1", "r1-2", "r1-3", "r1-4"), "r1-5", null);
                // ctl info shows a moment: under load an election may be on, so look until it settles.
                await("ctl info").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Map<String, String> roles = infoRoles(anyAddr);
                    assertThat(roles).containsEntry("r1-5", "observer").containsKeys("r1-4", "r0-1", "r1-1");
                    assertThat(roles.get("r1-4")).isIn("follower", "leader");
                    assertThat(roles.values().stream().filter("leader"::equals).count()).isEqualTo(2);
                });
                assertThat(http.get(admins.get("r1-5"), "/status").json().path("role").asText()).isEqualTo("FOLLOWER");

                // Remove an original follower of r1, then stop its process.
                String r1Leader = ProcessCluster.awaitNode("r1 leader", () -> cluster.leaderOf("r1"));
                String victim = List.of("r1-1", "r1-2", "r1-3").stream().filter(id -> !id.equals(r1Leader))
                        .findFirst().orElseThrow();
                Cli remove = ctl("--addr", anyAddr, "remove-node", victim);
                assertThat(remove.code()).as("remove-node %s: %s %s", victim, remove.out(), remove.err()).isZero();
                cluster.kill(victim);
                admins.remove(victim);

                List<String> r1Voters = new ArrayList<>(List.of("r1-1", "r1-2", "r1-3", "r1-4"));
                r1Voters.remove(victim);
                awaitMembership(http, admins, r1Voters, "r1-5", victim);
                await("ctl info after the removal").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(infoRoles(anyAddr)).doesNotContainKey(victim).containsEntry("r1-5", "observer"));

                // A write sent to the new voter of the secondary region is forwarded to the primary's
                // leader and acknowledged; its retry with the same Idempotency-Key gets the first answer.
                Map<String, String> key = Map.of("Idempotency-Key", "membership-e2e");
                byte[] value = "forwarded".getBytes(StandardCharsets.UTF_8);
                AdminClient.Reply[] first = new AdminClient.Reply[1];
                await("forwarded write via r1-4").atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                    first[0] = http.send("PUT", admins.get("r1-4"), "/kv/forwarded?forward=true", value, key);
                    assertThat(first[0].status()).as(first[0].text()).isEqualTo(200);
                });
                AdminClient.Reply retry = http.send("PUT", admins.get("r1-4"), "/kv/forwarded?forward=true", value, key);
                assertThat(retry.status()).as(retry.text()).isEqualTo(200);
                assertThat(retry.json().path("index").asLong()).as("the retry answers the first write's position")
                        .isEqualTo(first[0].json().path("index").asLong());
                assertThat(retry.json().path("epoch").asLong()).isEqualTo(first[0].json().path("epoch").asLong());
            } finally {
                stop.set(true);
                writer.join(30_000);
            }
            System.out.println("writes acknowledged during the membership changes: " + acked.get());
            assertThat(acked.get()).as("writes acknowledged during the membership changes").isGreaterThan(10);

            // The data reached the new voter and the observer (a local read on the observer).
            String leader = ProcessCluster.awaitNode("r0 leader", () -> cluster.leaderOf("r0"));
            cluster.putUntilOk(http, leader, "final", "yes");
            for (String id : List.of("r1-4", "r1-5")) {
                await("final write on " + id).atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                        http.get(admins.get(id), "/kv/final?consistency=stale").json().path("value").asText()
                                .equals("yes"));
            }
        }
    }

    /** Every answering node's /status lists exactly the expected members of r1, with the observer's role. */
    private static void awaitMembership(AdminClient http, Map<String, String> admins, List<String> r1Voters,
                                        String observer, String removed) {
        await("membership on every node").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (Map.Entry<String, String> node : admins.entrySet()) {
                        JsonNode status = http.get(node.getValue(), "/status").json();
                        Map<String, String> r1 = new LinkedHashMap<>();
                        for (JsonNode m : status.path("members")) {
                            if (m.path("region").asText().equals("r1")) {
                                r1.put(m.path("node").asText(), m.path("role").asText());
                            }
                        }
                        List<String> expected = new ArrayList<>(r1Voters);
                        expected.add(observer);
                        assertThat(r1.keySet()).as("r1 members known by %s", node.getKey())
                                .containsExactlyInAnyOrderElementsOf(expected);
                        assertThat(r1).as("roles known by %s", node.getKey()).containsEntry(observer, "observer");
                        if (removed != null) {
                            assertThat(r1).doesNotContainKey(removed);
                        }
                    }
                    assertThat(http.get(admins.get(observer), "/status").json().path("member_role").asText())
                            .isEqualTo("observer");
                });
    }

    /** {@code ctl info --json}: node to role. */
    private Map<String, String> infoRoles(String addr) throws Exception {
        Cli info = ctl("--addr", addr, "info", "--json");
        assertThat(info.code()).as("ctl info: %s", info.err()).isZero();
        JsonNode json = Http.JSON.readTree(info.out());
        assertThat(json.path("primary_region").asText()).isEqualTo("r0");
        assertThat(json.path("epoch").asLong()).isEqualTo(1);
        assertThat(json.path("fencing_token").path("lease_holder").asText()).startsWith("r0-");
        Map<String, String> roles = new LinkedHashMap<>();
        for (JsonNode m : json.path("members")) {
            roles.put(m.path("node").asText(), m.path("role").asText());
        }
        Cli table = ctl("--addr", addr, "info");
        System.out.println("ctl info:\n" + table.out());
        assertThat(table.out()).contains("fencing token   epoch 1, lease holder r0-");
        return roles;
    }
}
