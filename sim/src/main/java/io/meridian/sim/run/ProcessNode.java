package io.meridian.sim.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.Position;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A node process as the workload sees it: writes are {@code PUT /kv/{key}}, linearizable reads
 * {@code GET /kv/{key}?consistency=linearizable}; role and applied index come from the latest
 * {@code /status} the {@link StatusBoard} has. Error replies follow the node's contract: a write's
 * {@code "outcome": "not_applied"} is a definite refusal, anything else (unknown, no outcome, no
 * answer) leaves it unknown; a read that returned no value changed nothing, so every failed read is
 * a refusal.
 */
final class ProcessNode implements SimNode {

    /**
     * What a client waits before it gives up (outcome unknown). Short, because a request to a paused
     * node holds one of the workload's in-flight permits until then: with 7 s, a pause of the
     * primary's leader starved the workload for as long even after a new leader took over.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final String nodeId;
    private final String region;
    private final int incarnation;
    private final String admin;
    private final NodeHttp http;
    private final StatusBoard board;

    ProcessNode(String nodeId, String region, int incarnation, String admin, NodeHttp http, StatusBoard board) {
        this.nodeId = nodeId;
        this.region = region;
        this.incarnation = incarnation;
        this.admin = admin;
        this.http = http;
        this.board = board;
    }

    @Override
    public Duration switchover(String target, Duration timeout) throws Exception {
        NodeHttp.Reply r = http.call("POST", admin, "/admin/switchover?target=" + target, timeout);
        if (!r.ok()) {
            throw new IllegalStateException("switchover to " + target + " refused: " + r.describe());
        }
        return Duration.ofMillis(r.body().path("took_ms").asLong());
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public String session() {
        return nodeId + "#" + incarnation;
    }

    @Override
    public String regionRole() {
        return board.status(nodeId).path("region_role").asText("-");
    }

    @Override
    public long appliedIndex() {
        return board.status(nodeId).path("applied_index").asLong(0);
    }

    @Override
    public CompletableFuture<Position> put(String key, byte[] value) {
        return http.send("PUT", admin, "/kv/" + encode(key), value, REQUEST_TIMEOUT).handle((reply, error) -> {
            if (error != null) {
                throw new RemoteFailure(nodeId + ": no answer: " + error, false);
            }
            if (reply.ok()) {
                return new Position(reply.body().path("epoch").asLong(), reply.body().path("index").asLong());
            }
            throw new RemoteFailure(nodeId + ": " + reply.describe(),
                    "not_applied".equals(reply.body().path("outcome").asText()));
        });
    }

    @Override
    public CompletableFuture<byte[]> read(String key) {
        return http.send("GET", admin, "/kv/" + encode(key) + "?consistency=linearizable", null, REQUEST_TIMEOUT)
                .handle((reply, error) -> {
                    if (error != null) {
                        throw new RemoteFailure(nodeId + ": no answer: " + error, true);
                    }
                    JsonNode body = reply.body();
                    if (reply.ok()) {
                        return body.path("value").asText().getBytes(StandardCharsets.UTF_8);
                    }
                    if (reply.status() == 404 && "no_such_key".equals(body.path("error").asText())) {
                        return null;
                    }
                    throw new RemoteFailure(nodeId + ": " + reply.describe(), true);
                });
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }
}
