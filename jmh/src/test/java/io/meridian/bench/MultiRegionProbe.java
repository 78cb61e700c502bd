package io.meridian.bench;

import io.meridian.ClusterTopology;
import io.meridian.Replicator;
import io.meridian.ReplicatorContext;
import io.meridian.kv.KvStateMachine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Whether the meridian-replicator on the class path can start a node of a multi-region cluster. */
final class MultiRegionProbe {

    private MultiRegionProbe() {
    }

    static boolean supported(Path dir) {
        ClusterTopology topology = ClusterTopology.builder()
                .region("r0").node("r0-1", BenchSupport.loopbackEndpoint(), BenchSupport.loopbackEndpoint())
                .region("r1").node("r1-1", BenchSupport.loopbackEndpoint(), BenchSupport.loopbackEndpoint())
                .witness(BenchSupport.loopbackEndpoint()).primary("r0").build();
        ReplicatorContext ctx = new ReplicatorContext().nodeId("r0-1").topology(topology).dataDir(dir)
                .stateMachine(new KvStateMachine()).fsync(false)
                .clusterSecret("meridian-benchmark-secret-0123456789".getBytes(StandardCharsets.UTF_8));
        try (Replicator ignored = Replicator.start(ctx)) {
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}
