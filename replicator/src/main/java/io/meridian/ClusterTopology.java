package io.meridian;

import io.meridian.raft.Endpoints;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every region and node of a cluster, with each node's Raft endpoint (intra-region) and Aeron
 * endpoint (cross-region), the primary region of epoch 1, and an optional witness.
 *
 * <p>Text form (for CLIs and config files), regions separated by {@code ;}:
 * {@code eu=eu-1@127.0.0.1:7001/127.0.0.1:8001,eu-2@...;us=us-1@...}. The Aeron part after
 * {@code /} may be omitted for a single-region cluster.
 */
public final class ClusterTopology {

    /** One node: id, Raft endpoint, Aeron endpoint (may be null when the cluster has one region). */
    public record NodeSpec(String nodeId, String region, String raftEndpoint, String aeronEndpoint) { }

    private final Map<String, List<NodeSpec>> regions;
    private final String initialPrimary;
    private final String witnessEndpoint;

    private ClusterTopology(Map<String, List<NodeSpec>> regions, String initialPrimary, String witnessEndpoint) {
        this.regions = regions;
        this.initialPrimary = initialPrimary;
        this.witnessEndpoint = witnessEndpoint;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parses the text form described in the class comment. */
    public static ClusterTopology parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("topology: empty");
        }
        Builder b = builder();
        for (String regionPart : text.split(";")) {
            String[] kv = regionPart.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("topology: '" + regionPart + "' is not region=node@raft/aeron,...");
            }
            b.region(kv[0].trim());
            for (String nodePart : kv[1].split(",")) {
                String[] idAndAddr = nodePart.trim().split("@", 2);
                if (idAndAddr.length != 2) {
                    throw new IllegalArgumentException("topology: node '" + nodePart + "' is not id@raft[/aeron]");
                }
                String[] addrs = idAndAddr[1].split("/", 2);
                b.node(idAndAddr[0], addrs[0], addrs.length > 1 ? addrs[1] : null);
            }
        }
        return b.build();
    }

    public List<String> regionNames() {
        return List.copyOf(regions.keySet());
    }

    public List<NodeSpec> nodes(String region) {
        List<NodeSpec> nodes = regions.get(region);
        if (nodes == null) {
            throw new IllegalArgumentException("unknown region '" + region + "'; known: " + regions.keySet());
        }
        return nodes;
    }

    public List<NodeSpec> allNodes() {
        List<NodeSpec> all = new ArrayList<>();
        regions.values().forEach(all::addAll);
        return all;
    }

    public Optional<NodeSpec> node(String nodeId) {
        return allNodes().stream().filter(n -> n.nodeId().equals(nodeId)).findFirst();
    }

    public String initialPrimary() {
        return initialPrimary;
    }

    /** Aeron endpoint of the witness, or null when there is none. */
    public String witnessEndpoint() {
        return witnessEndpoint;
    }

    public boolean isMultiRegion() {
        return regions.size() > 1;
    }

    /** Node whose Raft endpoint is {@code raftEndpoint}, if any. */
    public Optional<NodeSpec> nodeByRaftEndpoint(String raftEndpoint) {
        return allNodes().stream().filter(n -> n.raftEndpoint().equals(raftEndpoint)).findFirst();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        regions.forEach((region, nodes) -> {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(region).append('=');
            for (int i = 0; i < nodes.size(); i++) {
                NodeSpec n = nodes.get(i);
                sb.append(i == 0 ? "" : ",").append(n.nodeId()).append('@').append(n.raftEndpoint());
                if (n.aeronEndpoint() != null) {
                    sb.append('/').append(n.aeronEndpoint());
                }
            }
        });
        return sb.toString();
    }

    /** Builds a topology region by region; validation errors name the offending value. */
    public static final class Builder {
        private final Map<String, List<NodeSpec>> regions = new LinkedHashMap<>();
        private String current;
        private String primary;
        private String witness;

        public Builder region(String name) {
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("region name must be 1-64 characters of [A-Za-z0-9_.-]: " + name);
            }
            if (regions.containsKey(name)) {
                throw new IllegalArgumentException("region '" + name + "' listed twice");
            }
            regions.put(name, new ArrayList<>());
            current = name;
            return this;
        }

        public Builder node(String nodeId, String raftEndpoint, String aeronEndpoint) {
            if (current == null) {
                throw new IllegalArgumentException("node '" + nodeId + "' given before any region");
            }
            if (nodeId == null || !nodeId.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("node id must be 1-64 characters of [A-Za-z0-9_.-]: " + nodeId);
            }
            Endpoints.parse("node " + nodeId + " raft endpoint", raftEndpoint);
            if (aeronEndpoint != null) {
                Endpoints.parse("node " + nodeId + " aeron endpoint", aeronEndpoint);
            }
            regions.get(current).add(new NodeSpec(nodeId, current, raftEndpoint, aeronEndpoint));
            return this;
        }

        public Builder node(String nodeId, String raftEndpoint) {
            return node(nodeId, raftEndpoint, null);
        }

        public Builder primary(String region) {
            this.primary = region;
            return this;
        }

        public Builder witness(String aeronEndpoint) {
            this.witness = aeronEndpoint == null ? null : Endpoints.parse("witness endpoint", aeronEndpoint);
            return this;
        }

        public ClusterTopology build() {
            if (regions.isEmpty()) {
                throw new IllegalArgumentException("topology: no regions");
            }
            List<String> seenIds = new ArrayList<>();
            List<String> seenEndpoints = new ArrayList<>();
            for (Map.Entry<String, List<NodeSpec>> e : regions.entrySet()) {
                if (e.getValue().isEmpty()) {
                    throw new IllegalArgumentException("region '" + e.getKey() + "' has no nodes");
                }
                for (NodeSpec n : e.getValue()) {
                    if (seenIds.contains(n.nodeId())) {
                        throw new IllegalArgumentException("node id '" + n.nodeId() + "' used twice");
                    }
                    seenIds.add(n.nodeId());
                    for (String ep : new String[] {n.raftEndpoint(), n.aeronEndpoint()}) {
                        if (ep != null && seenEndpoints.contains(ep)) {
                            throw new IllegalArgumentException("endpoint " + ep + " used twice (node " + n.nodeId() + ")");
                        }
                        if (ep != null) {
                            seenEndpoints.add(ep);
                        }
                    }
                    if (regions.size() > 1 && n.aeronEndpoint() == null) {
                        throw new IllegalArgumentException("node " + n.nodeId()
                                + " needs an Aeron endpoint: the cluster has more than one region");
                    }
                }
            }
            String p = primary == null ? regions.keySet().iterator().next() : primary;
            if (!regions.containsKey(p)) {
                throw new IllegalArgumentException("primary region '" + p + "' is not in the topology " + regions.keySet());
            }
            Map<String, List<NodeSpec>> frozen = new LinkedHashMap<>();
            regions.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new ClusterTopology(Collections.unmodifiableMap(frozen), p, witness);
        }
    }
}
