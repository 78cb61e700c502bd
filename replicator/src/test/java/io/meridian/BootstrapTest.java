package io.meridian;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4: a region added later whose needed WAL range is no longer held by the shipping leader
 * (that leader's WAL restarted after a snapshot install) bootstraps from a state image and converges.
 */
@Timeout(240)
class BootstrapTest {

    @TempDir
    Path dir;

    @Test
    void newRegionBootstrapsFromAnImageWhenTheLeaderNoLongerHoldsTheStartOfTheLog() throws Exception {
        ClusterTopology topology = RegionCluster.topology(3, 3);
        try (RegionCluster c = new RegionCluster(dir, topology, ctx -> ctx.snapshotLogIndexMargin(0)
                .crossRegion(new CrossRegionSettings().ackTimeout(Duration.ofMillis(500))
                        .handshakeTimeout(Duration.ofMillis(300))))) {
            for (String region : new String[] {"r0", "r1"}) {
                topology.nodes(region).forEach(n -> c.start(n.nodeId()));
            }
            Replicator leader = c.awaitLeader("r0");
            c.awaitLeader("r1");
            String lagging = c.follower("r0").nodeId();
            new Writes().writeAll(leader, 1_000, 64);
            c.stop(lagging);
            new Writes().writeAll(leader, 2_000, 64);
            for (int round = 0; round < 2; round++) {
                for (Replicator r : c.runningIn("r0")) {
                    r.snapshot().get();
                }
                new Writes().writeAll(leader, 200, 16);
            }
            Replicator restarted = c.start(lagging);
            CrossRegionReplicationTest.awaitRegionApplied(c, "r0", leader.appliedPosition().index());
            assertThat(restarted.wal().firstIndex()).as("restarted node's WAL starts after its snapshot").isGreaterThan(1);
            leader.transferLeadership(lagging).get();
            // The transfer completes asynchronously: wait for the new leader to take over.
            await().atMost(Duration.ofSeconds(30)).until(() -> restarted.isLeader() && !leader.isLeader());
            Replicator shipper = c.awaitLeader("r0");
            assertThat(shipper.nodeId()).isEqualTo(lagging);

            topology.nodes("r2").forEach(n -> c.start(n.nodeId()));
            c.awaitLeader("r2");
            new Writes().writeAll(shipper, 500, 32);
            long last = shipper.appliedPosition().index();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r1", last);
            CrossRegionReplicationTest.awaitRegionApplied(c, "r2", last);
            assertThat(c.running().stream().map(r -> c.kv(r.nodeId()).digest()).distinct().count()).isEqualTo(1);
            for (Replicator r : c.runningIn("r2")) {
                assertThat(r.wal().firstIndex()).as("r2 started from an image").isGreaterThan(1);
            }
        }
    }
}
