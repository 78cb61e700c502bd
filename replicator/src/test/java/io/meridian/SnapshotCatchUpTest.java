package io.meridian;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A follower that was down while the leader compacted its Raft log past the follower's last entry
 * catches up through a snapshot install and then the log, and its WAL stays gap-free.
 */
@Timeout(180)
class SnapshotCatchUpTest {

    private static final int BATCH = 500;

    @TempDir
    Path dir;

    @Test
    void followerBehindACompactedLogCatchesUpThroughSnapshotAndLog() throws Exception {
        // margin 0: every snapshot() call takes a snapshot (the default skips any taken less than
        // 50,000 entries after the previous one)
        try (RegionCluster cluster = new RegionCluster(dir, RegionCluster.topology(1, 3),
                c -> c.snapshotLogIndexMargin(0)).startAll()) {
            Replicator leader = cluster.awaitLeader("r0");
            Writes writes = new Writes();
            writes.writeAll(leader, BATCH, 32);
            SingleRegionTest.awaitAllApplied(cluster, BATCH);
            snapshotAll(cluster);

            String lagging = cluster.follower("r0").nodeId();
            cluster.stop(lagging);

            // JRaft truncates its log only up to the snapshot before the latest one, so two
            // snapshots past the stopped follower's last entry are needed to drop what it lacks.
            writes.writeAll(leader, BATCH, 32);
            snapshotAll(cluster);
            writes.writeAll(leader, BATCH, 32);
            snapshotAll(cluster);
            writes.writeAll(leader, BATCH / 2, 32);
            assertThat(writes.acked()).hasSize(3 * BATCH + BATCH / 2);
            long last = leader.appliedPosition().index();

            Replicator restarted = cluster.start(lagging);
            SingleRegionTest.awaitAllApplied(cluster, last);

            assertThat(restarted.wal().firstIndex() - 1).as("WAL of %s restarts after an installed snapshot", lagging)
                    .isIn(2L * BATCH, 3L * BATCH);
            assertThat(restarted.wal().lastIndex()).isEqualTo(leader.wal().lastIndex()).isEqualTo(last);
            List<WalRecord> entries = RegionCluster.walEntries(restarted.wal());
            assertThat(entries.get(entries.size() - 1).index() - entries.get(0).index() + 1).isEqualTo(entries.size());
            SingleRegionTest.assertIdenticalWals(cluster, last);
            SingleRegionTest.assertEqualDigests(cluster);
            for (Map.Entry<Integer, Position> e : writes.acked().entrySet()) {
                assertThat(cluster.kv(lagging).getString("w" + e.getKey())).isEqualTo("v" + e.getKey());
            }
            assertThat(cluster.kv(lagging).outOfOrderApplies()).isZero();

            // and it keeps up with new writes from the log
            Position next = leader.apply(Writes.payload(1_000_000)).get();
            SingleRegionTest.awaitAllApplied(cluster, next.index());
            assertThat(restarted.wal().lastIndex()).isEqualTo(next.index());
        }
    }

    private static void snapshotAll(RegionCluster cluster) throws Exception {
        for (Replicator r : cluster.running()) {
            r.snapshot().get();
        }
    }
}
