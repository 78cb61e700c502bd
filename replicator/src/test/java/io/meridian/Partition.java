package io.meridian;

import io.meridian.support.LoopbackPorts;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Test helper: cuts cross-region traffic by rewriting destination endpoints to a black hole (a
 * loopback port nobody listens on) while a region is isolated. Applied through
 * {@link CrossRegionSettings#endpointMapper}, so both directions are cut once every node uses it.
 */
public final class Partition {

    private final String blackHole = "127.0.0.1:" + LoopbackPorts.free();
    private final Map<String, String> regionOfEndpoint = new ConcurrentHashMap<>();
    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private final Set<String> cutLinks = ConcurrentHashMap.newKeySet();

    public Partition(ClusterTopology topology, String witnessEndpoint) {
        for (ClusterTopology.NodeSpec n : topology.allNodes()) {
            regionOfEndpoint.put(n.aeronEndpoint(), n.region());
        }
        if (witnessEndpoint != null) {
            regionOfEndpoint.put(witnessEndpoint, Witness.NAME);
        }
    }

    /** The mapper for senders in {@code fromRegion}. */
    public Function<String, String> mapperFor(String fromRegion) {
        return endpoint -> {
            String to = regionOfEndpoint.getOrDefault(endpoint, "?");
            boolean cut = !to.equals(fromRegion) && (isolated.contains(fromRegion) || isolated.contains(to)
                    || cutLinks.contains(fromRegion + "->" + to));
            return cut ? blackHole : endpoint;
        };
    }

    public void isolate(String region) {
        isolated.add(region);
    }

    /** Drops traffic from {@code fromRegion} to {@code toRegion} only (one direction). */
    public void cut(String fromRegion, String toRegion) {
        cutLinks.add(fromRegion + "->" + toRegion);
    }

    public void restore(String fromRegion, String toRegion) {
        cutLinks.remove(fromRegion + "->" + toRegion);
    }

    public void heal() {
        isolated.clear();
        cutLinks.clear();
    }
}
