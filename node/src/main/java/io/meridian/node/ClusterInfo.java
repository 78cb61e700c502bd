package io.meridian.node;

import io.meridian.ClusterTopology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /cluster}: the topology as this node knows it now (its configuration plus the members
 * added or removed since, observers included), and every node's admin address, so that
 * {@code meridian ctl} given one address can reach every node.
 */
final class ClusterInfo {

    static final String WITNESS_REGION = "witness";

    private ClusterInfo() {
    }

    /** As configured (the witness, which holds no replicated state). */
    static Map<String, Object> of(ResolvedConfig config) {
        return of(config.topology(), config.adminEndpoints());
    }

    /** As a data node knows it now. */
    static Map<String, Object> of(ResolvedConfig config, io.meridian.Replicator replicator) {
        return of(replicator.members().topology(), MembershipRoutes.adminEndpoints(replicator, config));
    }

    private static Map<String, Object> of(ClusterTopology t, Map<String, String> admins) {
        List<Map<String, String>> nodes = new ArrayList<>();
        for (ClusterTopology.NodeSpec n : t.allNodes()) {
            nodes.add(node(n.nodeId(), n.region(), admins.getOrDefault(n.nodeId(), "")));
        }
        String witnessAdmin = admins.get(io.meridian.Witness.NAME);
        if (t.witnessEndpoint() != null && witnessAdmin != null) {
            nodes.add(node(io.meridian.Witness.NAME, WITNESS_REGION, witnessAdmin));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("topology", t.toString());
        out.put("initial_primary", t.initialPrimary());
        out.put("witness", t.witnessEndpoint() == null ? "" : t.witnessEndpoint());
        out.put("regions", t.regionNames());
        out.put("nodes", nodes);
        return out;
    }

    private static Map<String, String> node(String id, String region, String admin) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("node", id);
        m.put("region", region);
        m.put("admin", admin);
        return m;
    }
}
