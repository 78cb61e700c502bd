package io.meridian;

import io.meridian.kv.KvStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 2: one 3-node region on real JRaft + Chronicle, on 127.0.0.1. */
@Timeout(180)
class SingleRegionTest {

    @TempDir
    Path dir;

    @Test
    void tenThousandAppliesConvergeOnEveryNodeAndWal() throws Exception {
        try (RegionCluster cluster = RegionCluster.single(dir, 3).startAll()) {
            Replicator leader = cluster.awaitLeader("r0");
            Writes writes = new Writes();
            writes.writeAll(leader, 10_000, 128);

            assertThat(writes.acked()).hasSize(10_000);
            assertThat(writes.acked().values().stream().map(Position::index).distinct().count()).isEqualTo(10_000);
            long last = writes.acked().values().stream().mapToLong(Position::index).max().orElseThrow();
            assertThat(last).isEqualTo(10_000);
            awaitAllApplied(cluster, last);

            assertEqualDigests(cluster);
            assertIdenticalWals(cluster, last);
        }
    }

    @Test
    void leaderKilledMidLoadLosesNoAcknowledgedWriteAndRestartedNodeCatchesUp() throws Exception {
        try (RegionCluster cluster = RegionCluster.single(dir, 3).startAll()) {
            Replicator first = cluster.awaitLeader("r0");
            Writes writes = new Writes();
            AtomicBoolean stop = new AtomicBoolean();
            var writer = writes.writeUntil(() -> cluster.running().stream().filter(Replicator::isLeader)
                    .findFirst().orElse(null), stop, 32);
            await().atMost(Duration.ofSeconds(30)).until(() -> writes.acked().size() >= 2_000);

            String killed = first.nodeId();
            cluster.stop(killed);
            Replicator second = cluster.awaitLeader("r0");
            assertThat(second.nodeId()).isNotEqualTo(killed);
            int ackedAtKill = writes.acked().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writes.acked().size() >= ackedAtKill + 2_000);
            stop.set(true);
            writer.get();

            cluster.start(killed);
            long last = cluster.awaitLeader("r0").appliedPosition().index();
            awaitAllApplied(cluster, last);

            for (Replicator r : cluster.running()) {
                KvStateMachine kv = cluster.kv(r.nodeId());
                for (Map.Entry<Integer, Position> e : writes.acked().entrySet()) {
                    assertThat(kv.getString("w" + e.getKey())).as("acked write %s on %s", e, r.nodeId())
                            .isEqualTo("v" + e.getKey());
                }
                assertThat(kv.outOfOrderApplies()).as("applied twice or out of order on %s", r.nodeId()).isZero();
            }
            assertEqualDigests(cluster);
            assertIdenticalWals(cluster, last);
        }
    }

    @Test
    void wholeRegionRestartsFromDiskAndIndexesContinue() throws Exception {
        String digestBefore;
        long lastBefore;
        ClusterTopology topology = RegionCluster.topology(1, 3);
        try (RegionCluster cluster = new RegionCluster(dir, topology, c -> { }).startAll()) {
            Replicator leader = cluster.awaitLeader("r0");
            new Writes().writeAll(leader, 1_000, 64);
            lastBefore = leader.appliedPosition().index();
            awaitAllApplied(cluster, lastBefore);
            digestBefore = cluster.kv(leader.nodeId()).digest();
        }
        try (RegionCluster again = new RegionCluster(dir, topology, c -> { })) {
            again.startAll();
            Replicator leader = again.awaitLeader("r0");
            awaitAllApplied(again, lastBefore);
            for (Replicator r : again.running()) {
                assertThat(again.kv(r.nodeId()).digest()).isEqualTo(digestBefore);
                assertThat(r.wal().lastIndex()).isEqualTo(lastBefore);
            }
            Position next = leader.apply(Writes.payload(1_000_000)).get();
            assertThat(next.index()).isEqualTo(lastBefore + 1);
        }
    }

    static void awaitAllApplied(RegionCluster cluster, long index) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            for (Replicator r : cluster.running()) {
                assertThat(r.appliedPosition().index()).as("applied index of %s", r.nodeId()).isGreaterThanOrEqualTo(index);
            }
        });
    }

    static void assertEqualDigests(RegionCluster cluster) {
        List<String> digests = cluster.running().stream().map(r -> cluster.kv(r.nodeId()).digest()).distinct().toList();
        assertThat(digests).as("KV digests of every node").hasSize(1);
    }

    static void assertIdenticalWals(RegionCluster cluster, long last) {
        List<WalRecord> reference = null;
        for (Replicator r : cluster.running()) {
            List<WalRecord> entries = RegionCluster.walEntries(r.wal());
            assertThat(entries).as("WAL of %s", r.nodeId()).isNotEmpty();
            long first = entries.get(0).index();
            for (int i = 0; i < entries.size(); i++) {
                assertThat(entries.get(i).index()).as("dense WAL of %s", r.nodeId()).isEqualTo(first + i);
            }
            assertThat(entries.get(entries.size() - 1).index()).isGreaterThanOrEqualTo(last);
            if (reference == null) {
                reference = entries;
                assertThat(first).isEqualTo(1);
            } else {
                for (WalRecord e : entries) {
                    WalRecord ref = reference.get((int) (e.index() - 1));
                    assertThat(e.sameContentAs(ref)).as("entry %d on %s", e.index(), r.nodeId()).isTrue();
                }
            }
        }
    }
}
