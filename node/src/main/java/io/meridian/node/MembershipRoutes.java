package io.meridian.node;

import io.meridian.ClusterTopology;
import io.meridian.Member;
import io.meridian.Membership;
import io.meridian.Position;
import io.meridian.Replicator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The admin API of live membership: {@code POST /admin/add-node}, {@code POST /admin/remove-node}
 * (on the primary region's leader, like writes) and {@code GET /info} (any node: the primary region,
 * the epoch, the fencing token and every member with its role, as this node knows them).
 */
final class MembershipRoutes {

    private final Replicator replicator;
    private final ResolvedConfig config;

    MembershipRoutes(Replicator replicator, ResolvedConfig config) {
        this.replicator = replicator;
        this.config = config;
    }

    AdminServer register(AdminServer admin) {
        return admin.route("GET", "/info", r -> Http.Response.json(200, info(replicator)))
                .route("POST", "/admin/add-node", this::add)
                .route("POST", "/admin/remove-node", this::remove);
    }

    private Http.Response add(Http.Request r) throws Exception {
        String id = r.requireParam("id");
        String region = r.requireParam("region");
        String raft = r.requireParam("raft");
        String aeron = r.query().getOrDefault("aeron", "");
        String observer = r.query().getOrDefault("observer", "false");
        if (!observer.equals("true") && !observer.equals("false")) {
            throw new Http.Error(400, "bad_parameter", "observer must be true or false, got '" + observer + "'");
        }
        ClusterTopology.NodeSpec spec = new ClusterTopology.NodeSpec(id, region, raft, aeron.isEmpty() ? null : aeron);
        Position p = wait(replicator.members().add(spec, Boolean.parseBoolean(observer),
                r.query().getOrDefault("admin", "")));
        return Http.Response.json(200, Map.of("node", id, "region", region, "observer", Boolean.parseBoolean(observer),
                "epoch", p.epoch(), "index", p.index()));
    }

    private Http.Response remove(Http.Request r) throws Exception {
        String id = r.requireParam("id");
        Position p = wait(replicator.members().remove(id));
        return Http.Response.json(200, Map.of("node", id, "epoch", p.epoch(), "index", p.index()));
    }

    private Position wait(java.util.concurrent.CompletableFuture<Position> change) throws Exception {
        try {
            return change.get(config.raw().applyTimeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw ErrorMapping.toHttp(e, adminEndpoints(replicator, config));
        }
    }

    /** Every node's admin address: the configured ones, and those recorded when nodes were added. */
    static Map<String, String> adminEndpoints(Replicator replicator, ResolvedConfig config) {
        Map<String, String> out = new LinkedHashMap<>(config.adminEndpoints());
        replicator.members().adminEndpoints().forEach(out::putIfAbsent);
        return out;
    }

    /** {@code GET /info}: also what {@code /status} lists under {@code members}. */
    static Map<String, Object> info(Replicator replicator) {
        Membership m = replicator.members().view();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", replicator.nodeId());
        out.put("region", replicator.region());
        out.put("primary_region", m.primaryRegion());
        out.put("epoch", m.epoch());
        out.put("fencing_token", Map.of("epoch", m.epoch(), "lease_holder", m.leaseHolder()));
        out.put("members", members(m));
        out.put("raft_voters", replicator.members().raftVoters());
        out.put("raft_observers", replicator.members().raftObservers());
        return out;
    }

    static List<Map<String, Object>> members(Membership m) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Member member : m.members()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node", member.nodeId());
            row.put("region", member.region());
            row.put("role", member.role().name().toLowerCase(Locale.ROOT));
            row.put("raft", member.raftEndpoint());
            row.put("aeron", member.aeronEndpoint());
            out.add(row);
        }
        return out;
    }
}
