package io.meridian;

import java.util.Map;

/** Cross-region shipping, receiving and failover of one node. Filled in by the shipping issue. */
final class MultiRegionServices implements AutoCloseable {

    static MultiRegionServices create(ReplicatorContext ctx, NodeRuntime runtime) {
        throw new UnsupportedOperationException("multi-region topologies are not supported yet");
    }

    void start() {
    }

    boolean isFenced() {
        return false;
    }

    Map<String, Health.RemoteStatus> remoteStatus() {
        return Map.of();
    }

    @Override
    public void close() {
    }
}
