package io.meridian.node;

import io.meridian.support.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /admin/transfer-leader?to=NODE} and {@code ctl transfer-leader}, the step of a rolling
 * restart that moves leadership off the node about to restart: the answer comes once the target
 * leads, a follower redirects to the leader, and a write acknowledged before the move is still there.
 */
@Timeout(120)
class TransferLeaderTest {

    private static final String TOKEN = "transfer-leader-test-token-0123456789";

    @TempDir
    Path dir;

    private final Map<String, MeridianNode> nodes = new LinkedHashMap<>();
    private final AdminClient client = new AdminClient(Duration.ofSeconds(20), TOKEN, null);

    @BeforeEach
    void startRegion() {
        List<String> ids = List.of("n1", "n2", "n3");
        StringBuilder topology = new StringBuilder("r0=");
        Map<String, String> admins = new LinkedHashMap<>();
        for (String id : ids) {
            topology.append(id.equals("n1") ? "" : ",").append(id).append("@127.0.0.1:").append(LoopbackPorts.free());
            admins.put(id, "127.0.0.1:" + LoopbackPorts.free());
        }
        List<String> adminYaml = new ArrayList<>();
        admins.forEach((id, a) -> adminYaml.add("  " + id + ": " + a));
        for (String id : ids) {
            String yaml = """
                    nodeId: %s
                    topology: "%s"
                    dataDir: %s
                    electionTimeoutMs: 600
                    fsync: false
                    adminEndpoints:
                    %s
                    """.formatted(id, topology, id, String.join("\n", adminYaml));
            nodes.put(id, MeridianNode.start(new ConfigLoader(Map.of(AdminToken.VARIABLE, TOKEN)).parse(yaml, dir)));
        }
    }

    @AfterEach
    void stop() {
        nodes.values().forEach(MeridianNode::close);
    }

    private MeridianNode awaitLeader() {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> nodes.values().stream().filter(n -> n.replicator().isLeader()).findFirst().orElse(null),
                n -> n != null);
    }

    private AdminClient.Reply post(MeridianNode node, String path) throws Exception {
        return client.send("POST", node.adminAddress(), path, null);
    }

    @Test
    void leadershipMovesToTheNamedNodeAndAcknowledgedWritesStay() throws Exception {
        MeridianNode leader = awaitLeader();
        assertThat(client.send("PUT", leader.adminAddress(), "/kv/before", "1".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(200);
        MeridianNode target = nodes.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
        String to = target.replicator().nodeId();

        AdminClient.Reply moved = post(leader, "/admin/transfer-leader?to=" + to);

        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.json().path("to").asText()).isEqualTo(to);
        assertThat(moved.json().path("from").asText()).isEqualTo(leader.replicator().nodeId());
        await().atMost(Duration.ofSeconds(10)).until(() -> target.replicator().isLeader());
        assertThat(client.get(target.adminAddress(), "/kv/before").json().path("value").asText()).isEqualTo("1");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.send("PUT", target.adminAddress(),
                "/kv/after", "2".getBytes(StandardCharsets.UTF_8)).status() == 200);
    }

    @Test
    void aFollowerRedirectsToTheLeaderAndBadTargetsAreRefused() throws Exception {
        MeridianNode leader = awaitLeader();
        MeridianNode follower = nodes.values().stream().filter(n -> n != leader).findFirst().orElseThrow();

        AdminClient.Reply notLeader = post(follower, "/admin/transfer-leader?to=" + follower.replicator().nodeId());
        assertThat(notLeader.status()).as(notLeader.text()).isEqualTo(421);
        assertThat(notLeader.json().path("leader").asText()).isEqualTo(leader.replicator().nodeId());

        assertThat(post(leader, "/admin/transfer-leader?to=nope").status()).isEqualTo(400);
        assertThat(post(leader, "/admin/transfer-leader").status()).isEqualTo(400);
        AdminClient.Reply self = post(leader, "/admin/transfer-leader?to=" + leader.replicator().nodeId());
        assertThat(self.status()).as("already the leader: nothing to do").isEqualTo(200);
    }

    @Test
    void ctlPicksAFollowerWhenNoTargetIsGiven() {
        MeridianNode leader = awaitLeader();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = MeridianCli.run(Map.of(AdminToken.VARIABLE, TOKEN), new PrintWriter(out, true),
                new PrintWriter(err, true), "ctl", "--addr", leader.adminAddress(), "transfer-leader", "r0");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("region r0: leader " + leader.replicator().nodeId() + " -> ");
        await().atMost(Duration.ofSeconds(10)).until(() -> !leader.replicator().isLeader()
                && nodes.values().stream().anyMatch(n -> n.replicator().isLeader()));
        assertThat(MeridianCli.run(Map.of(AdminToken.VARIABLE, TOKEN), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true), "ctl", "--addr", leader.adminAddress(), "transfer-leader", "nope"))
                .isEqualTo(MeridianCli.FAILED);
    }
}
