package io.meridian.node;

import io.meridian.ClusterTopology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /cluster}: the topology as this node was configured with it, and every node's admin
 * address, so that {@code meridian ctl} given one address can reach every node.
 */
final class ClusterInfo {

    static final String WITNESS_REGION = "witness";

    private ClusterInfo() {
    }

    static Map<String, Object> of(ResolvedConfig config) {
        ClusterTopology t = config.topology();
        List<Map<String, String>> nodes = new ArrayList<>();
        for (ClusterTopology.NodeSpec n : t.allNodes()) {
            nodes.add(node(n.nodeId(), n.region(), config.adminEndpoints().getOrDefault(n.nodeId(), "")));
        }
        String witnessAdmin = config.adminEndpoints().get(io.meridian.Witness.NAME);
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
