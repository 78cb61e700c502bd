package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Every node's {@code /status}, gathered from one address: that node's {@code /cluster} lists every
 * node and its admin address, then each is asked in parallel. A node that does not answer is DOWN.
 */
public final class ClusterView {

    /** One node's row; {@code status} is a MissingNode when the node is down. */
    public record Row(String node, String region, String admin, boolean up, JsonNode status) {

        /** LEADER, FOLLOWER, OBSERVER (a JRaft learner: never votes, never leads) or DOWN. */
        public String role() {
            if (!up) {
                return "DOWN";
            }
            return "observer".equals(status.path("member_role").asText()) ? "OBSERVER" : status.path("role").asText("?");
        }

        public String regionRole() {
            return status.path("region_role").asText("");
        }

        public long epoch() {
            return status.path("epoch").asLong(-1);
        }

        public long lastIndex() {
            return status.path("last_index").asLong(-1);
        }

        public long lagMs() {
            return status.path("lag_ms").asLong(-1);
        }
    }

    private final List<Row> rows;

    private ClusterView(List<Row> rows) {
        this.rows = rows;
    }

    public static ClusterView fetch(AdminClient client, String address) throws IOException {
        AdminClient.Reply cluster = client.get(address, "/cluster");
        if (!cluster.ok()) {
            throw new IOException(address + "/cluster answered " + cluster.status() + ": " + cluster.message()
                    + (cluster.status() == 401 ? AdminClient.AUTH_HINT : ""));
        }
        List<CompletableFuture<Row>> futures = new ArrayList<>();
        for (JsonNode n : cluster.json().path("nodes")) {
            String node = n.path("node").asText();
            String region = n.path("region").asText();
            String admin = n.path("admin").asText();
            if (admin.isEmpty()) {
                futures.add(CompletableFuture.completedFuture(new Row(node, region, "", false, MissingNode.getInstance())));
                continue;
            }
            futures.add(client.sendAsync("GET", admin, "/status", null)
                    .thenApply(r -> new Row(node, region, admin, r.ok(), r.ok() ? r.json() : MissingNode.getInstance()))
                    .exceptionally(e -> new Row(node, region, admin, false, MissingNode.getInstance())));
        }
        List<Row> rows = new ArrayList<>();
        futures.forEach(f -> rows.add(f.join()));
        return new ClusterView(rows);
    }

    public List<Row> rows() {
        return rows;
    }

    /** The leader of the primary region: the highest-epoch node that leads and is PRIMARY. */
    public Optional<Row> primaryLeader() {
        return rows.stream().filter(Row::up).filter(r -> "LEADER".equals(r.role()) && "PRIMARY".equals(r.regionRole()))
                .max(Comparator.comparingLong(Row::epoch));
    }

    public Optional<Row> leaderOf(String region) {
        return rows.stream().filter(Row::up).filter(r -> r.region().equals(region) && "LEADER".equals(r.role())).findFirst();
    }

    public boolean hasRegion(String region) {
        return rows.stream().anyMatch(r -> r.region().equals(region));
    }
}
