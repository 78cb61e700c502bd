package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15 over HTTP with node processes (2 regions x 3 + witness): a write to a follower of the
 * secondary region is refused naming the primary's leader and its admin address, or forwarded and
 * acknowledged when asked; a retry with the same {@code Idempotency-Key} gets the first answer and
 * applies nothing; each read level; ctl's options; forwarding metrics.
 */
@Timeout(300)
class ForwardingEndToEndTest {

    @TempDir
    Path dir;

    private ProcessCluster cluster;

    @AfterEach
    void teardown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void forwardedIdempotentWritesAndReadLevelsOverHttp() throws Exception {
        cluster = ProcessCluster.up(dir, 3, 1500, yaml -> yaml);
        AdminClient http = cluster.client(Duration.ofSeconds(20));
        String primaryLeader = ProcessCluster.awaitNode("r0 leader", () -> cluster.leaderOf("r0"));
        String secondaryLeader = ProcessCluster.awaitNode("r1 leader", () -> cluster.leaderOf("r1"));
        String follower = cluster.region("r1").stream().filter(id -> !id.equals(secondaryLeader)).findFirst().orElseThrow();
        String at = cluster.admin(follower);
        cluster.putUntilOk(http, primaryLeader, "warmup", "1");

        // Not forwarded (the default): 421 naming the primary region, its leader and the leader's admin API.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            AdminClient.Reply refused = http.send("PUT", at, "/kv/a", bytes("1"));
            assertThat(refused.status()).isEqualTo(421);
            assertThat(refused.json().path("error").asText()).isEqualTo("not_primary");
            assertThat(refused.json().path("primary_region").asText()).isEqualTo("r0");
            assertThat(refused.json().path("primary_leader").asText()).isEqualTo(primaryLeader);
            assertThat(refused.json().path("primary_leader_admin").asText()).isEqualTo(cluster.admin(primaryLeader));
            assertThat(refused.json().path("outcome").asText()).isEqualTo("not_applied");
        });

        // Forwarded: acknowledged with the primary's position.
        AdminClient.Reply forwarded = http.send("PUT", at, "/kv/a?forward=true", bytes("1"));
        assertThat(forwarded.status()).as(forwarded.text()).isEqualTo(200);
        assertThat(forwarded.json().path("epoch").asLong()).isEqualTo(1);

        // Idempotency-Key: the retry answers the first position and applies nothing.
        Map<String, String> key = Map.of("Idempotency-Key", "order-42");
        AdminClient.Reply first = http.send("PUT", at, "/kv/order?forward=true", bytes("paid"), key);
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        long lastBefore = cluster.status(primaryLeader).path("last_index").asLong();
        AdminClient.Reply retry = http.send("PUT", at, "/kv/order?forward=true", bytes("paid"), key);
        AdminClient.Reply retryAtLeader = http.send("PUT", cluster.admin(primaryLeader), "/kv/order", bytes("paid"), key);
        assertThat(retry.json().path("index").asLong()).isEqualTo(first.json().path("index").asLong());
        assertThat(retryAtLeader.json().path("index").asLong()).isEqualTo(first.json().path("index").asLong());
        assertThat(cluster.status(primaryLeader).path("last_index").asLong()).as("nothing applied by the retries")
                .isEqualTo(lastBefore);

        // Read levels on the secondary's follower.
        String position = first.json().path("epoch").asLong() + ":" + first.json().path("index").asLong();
        AdminClient.Reply session = http.get(at, "/kv/order?level=session&position=" + position);
        assertThat(session.json().path("value").asText()).as(session.text()).isEqualTo("paid");
        assertThat(session.json().path("level").asText()).isEqualTo("session");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(http.get(at, "/kv/order?level=bounded&max_lag_ms=60000").status()).isEqualTo(200));
        assertThat(http.get(at, "/kv/order?level=local").json().path("value").asText()).isEqualTo("paid");
        assertThat(http.get(at, "/kv/order?level=linearizable").status()).isEqualTo(421);
        AdminClient.Reply lin = http.get(at, "/kv/order?level=linearizable&forward=true");
        assertThat(lin.json().path("value").asText()).as(lin.text()).isEqualTo("paid");
        assertThat(http.get(at, "/kv/order?level=bounded").status()).isEqualTo(400);
        assertThat(http.get(at, "/kv/order?level=session&position=x").status()).isEqualTo(400);

        // ctl: forwarded, exactly once.
        String out1 = ctl("--addr", at, "put", "--forward", "--idempotency-key", "ctl-1", "c", "v");
        String out2 = ctl("--addr", at, "put", "--forward", "--idempotency-key", "ctl-1", "c", "v");
        assertThat(out1).startsWith("ok 1:").isEqualTo(out2);
        assertThat(ctl("--addr", at, "get", "--level", "session", "--position", out1.substring(3).strip(), "c"))
                .isEqualTo("v\n");

        String metrics = http.get(at, "/metrics").text();
        assertThat(metrics).contains("meridian_forwarded_total", "meridian_forward_latency_seconds_count",
                "meridian_forward_failures_total{", "reason=\"timeout\"");
        JsonNode leaderStatus = cluster.status(primaryLeader);
        assertThat(leaderStatus.isMissingNode()).isFalse();
        assertThat(http.get(cluster.admin(primaryLeader), "/metrics").text())
                .containsPattern("meridian_forward_served_total\\{[^}]*\\} [1-9]");
    }

    private String ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "ctl";
        all[1] = "--dir";
        all[2] = dir.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        int code = MeridianCli.run(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), all);
        assertThat(code).as("ctl %s: %s", String.join(" ", args), err).isZero();
        return out.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
