package io.meridian.node;

import io.meridian.support.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin API of in-JVM nodes of one region: the happy path, every kind of bad request, and /health. */
@Timeout(120)
class AdminApiTest {

    @TempDir
    Path dir;

    /** One token for the region, as `up` does; AdminSecurityTest covers requests without it. */
    static final String TOKEN = "admin-api-test-token-0123456789";

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
                    maxPayloadBytes: 4096
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
        MeridianNode[] leader = new MeridianNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            leader[0] = nodes.values().stream().filter(n -> n.replicator().isLeader()).findFirst().orElse(null);
            return leader[0] != null;
        });
        return leader[0];
    }

    private AdminClient.Reply call(String method, MeridianNode node, String path, String body) throws Exception {
        return client.send(method, node.adminAddress(), path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesReadsStatusAndMetrics() throws Exception {
        MeridianNode leader = awaitLeader();
        AdminClient.Reply put = call("PUT", leader, "/kv/greeting%20one", "hello");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().path("index").asLong()).isPositive();
        assertThat(call("GET", leader, "/kv/greeting%20one", null).json().path("value").asText()).isEqualTo("hello");

        MeridianNode follower = nodes.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                call("GET", follower, "/kv/greeting%20one?consistency=stale", null).status() == 200);
        AdminClient.Reply misdirected = call("PUT", follower, "/kv/k", "v");
        assertThat(misdirected.status()).isEqualTo(421);
        assertThat(misdirected.json().path("error").asText()).isEqualTo("not_leader");
        assertThat(misdirected.json().path("leader_admin").asText()).isEqualTo(leader.adminAddress());

        AdminClient.Reply status = call("GET", follower, "/status", null);
        assertThat(status.json().path("role").asText()).isEqualTo("FOLLOWER");
        assertThat(status.json().path("leader").asText()).isEqualTo(leader.replicator().nodeId());
        assertThat(status.json().path("region_role").asText()).isEqualTo("PRIMARY");
        assertThat(status.json().path("kv_digest").asText()).hasSize(16);
        String metrics = call("GET", leader, "/metrics", null).text();
        assertThat(metrics).contains("meridian_commits_total", "meridian_client_apply_latency_seconds_count",
                "meridian_epoch", "meridian_apply_batch_entries", "meridian_leader_changes_total");
        assertThat(call("GET", leader, "/health", null).status()).isEqualTo(200);
    }

    @Test
    void badRequestsGetClearJsonErrors() throws Exception {
        MeridianNode leader = awaitLeader();
        AdminClient.Reply notFound = call("GET", leader, "/nope", null);
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().path("error").asText()).isEqualTo("not_found");
        assertThat(call("GET", leader, "/kv/absent", null).json().path("error").asText()).isEqualTo("no_such_key");

        AdminClient.Reply wrongMethod = call("POST", leader, "/status", "");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.message()).contains("GET");
        assertThat(call("DELETE", leader, "/admin/switchover", null).status()).isEqualTo(405);

        AdminClient.Reply missing = call("POST", leader, "/admin/switchover", "");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.message()).contains("target");
        assertThat(call("POST", leader, "/admin/promote", "").message()).contains("allowDataLoss");
        assertThat(call("POST", leader, "/admin/promote?allowDataLoss=maybe", "").status()).isEqualTo(400);
        assertThat(call("GET", leader, "/kv/k?consistency=eventual", null).status()).isEqualTo(400);
        AdminClient.Reply refused = call("POST", leader, "/admin/switchover?target=mars", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.message()).contains("single region");

        HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> tooLarge = raw.send(HttpRequest.newBuilder(URI.create("http://" + leader.adminAddress() + "/kv/big"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[5000])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("payload_too_large", "4096");
    }

    @Test
    void healthTurns503WhenTheRegionLosesItsMajority() throws Exception {
        MeridianNode leader = awaitLeader();
        MeridianNode survivor = nodes.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> call("GET", survivor, "/health", null).status() == 200);
        for (String id : new ArrayList<>(nodes.keySet())) {
            if (nodes.get(id) != survivor) {
                nodes.remove(id).close();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> call("GET", survivor, "/health", null).status() == 503);
        AdminClient.Reply health = call("GET", survivor, "/health", null);
        assertThat(health.json().path("reason").asText()).contains("no leader");
    }
}
