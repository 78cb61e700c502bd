package io.meridian;

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

/** Issue 3: shipping between regions over real Aeron UDP on 127.0.0.1, real JRaft and Chronicle on both sides. */
@Timeout(240)
class CrossRegionReplicationTest {

    @TempDir
    Path dir;

    static RegionCluster cluster(Path dir, int regions) {
        return new RegionCluster(dir, RegionCluster.topology(regions, 3), c -> c.crossRegion(new CrossRegionSettings()
                .ackTimeout(Duration.ofMillis(500)).handshakeTimeout(Duration.ofMillis(300))));
    }

    @Test
    void fiftyThousandWritesReachTheSecondRegionInOrder() throws Exception {
        try (RegionCluster c = cluster(dir, 2).startAll()) {
            Replicator primary = c.awaitLeader("r0");
            c.awaitLeader("r1");
            Writes writes = new Writes();
            long t0 = System.nanoTime();
            writes.writeAll(primary, 50_000, 256);
            double commitSeconds = (System.nanoTime() - t0) / 1e9;
            long last = primary.appliedPosition().index();
            awaitRegionApplied(c, "r1", last);
            double replicatedSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("2x3: 50000 writes committed in %.2fs (%.0f/s), replicated in %.2fs (%.0f/s); lag %s%n",
                    commitSeconds, 50_000 / commitSeconds, replicatedSeconds, 50_000 / replicatedSeconds,
                    c.awaitLeader("r1").inboundLag());
            assertThat(writes.acked()).hasSize(50_000);
            assertConverged(c, last);
            assertThat(primary.health().remotes().get("r1").ackedIndex()).isEqualTo(last);
            // The receiving leader measured where the lag went, stage by stage, for every batch.
            var stages = c.awaitLeader("r1").lagAnatomy().get("r0");
            assertThat(stages).extracting(LagStageSnapshot::stage)
                    .containsExactly("origin", "batching", "network", "remote_commit", "apply", "total");
            assertThat(stages).allSatisfy(s -> assertThat(s.count()).isPositive());
            assertThat(stages.get(5).maxMicros()).isPositive();
        }
    }

    @Test
    void threeRegionsConverge() throws Exception {
        try (RegionCluster c = cluster(dir, 3).startAll()) {
            Replicator primary = c.awaitLeader("r0");
            new Writes().writeAll(primary, 5_000, 128);
            long last = primary.appliedPosition().index();
            awaitRegionApplied(c, "r1", last);
            awaitRegionApplied(c, "r2", last);
            assertConverged(c, last);
        }
    }

    @Test
    void leaderCrashesOnEitherSideResumeShippingWithoutDuplicates() throws Exception {
        try (RegionCluster c = cluster(dir, 2).startAll()) {
            c.awaitLeader("r0");
            c.awaitLeader("r1");
            Writes writes = new Writes();
            AtomicBoolean stop = new AtomicBoolean();
            var writer = writes.writeUntil(() -> c.runningIn("r0").stream().filter(Replicator::isLeader)
                    .findFirst().orElse(null), stop, 32);
            await().atMost(Duration.ofSeconds(30)).until(() -> writes.acked().size() >= 2_000);
            String primaryLeader = c.awaitLeader("r0").nodeId();
            c.stop(primaryLeader);
            c.awaitLeader("r0");
            int mark = writes.acked().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writes.acked().size() >= mark + 2_000);
            String remoteLeader = c.awaitLeader("r1").nodeId();
            c.stop(remoteLeader);
            c.awaitLeader("r1");
            int mark2 = writes.acked().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writes.acked().size() >= mark2 + 2_000);
            stop.set(true);
            writer.get();
            c.start(primaryLeader);
            c.start(remoteLeader);
            long last = c.awaitLeader("r0").appliedPosition().index();
            awaitRegionApplied(c, "r0", last);
            awaitRegionApplied(c, "r1", last);
            assertConverged(c, last);
            for (Replicator r : c.running()) {
                assertThat(c.kv(r.nodeId()).outOfOrderApplies()).as("double apply on %s", r.nodeId()).isZero();
                for (Map.Entry<Integer, Position> e : writes.acked().entrySet()) {
                    assertThat(c.kv(r.nodeId()).getString("w" + e.getKey())).isEqualTo("v" + e.getKey());
                }
            }
        }
    }

    static void awaitRegionApplied(RegionCluster c, String region, long index) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            for (Replicator r : c.runningIn(region)) {
                assertThat(r.appliedPosition().index()).as("applied index of %s", r.nodeId()).isGreaterThanOrEqualTo(index);
            }
        });
    }

    static void assertConverged(RegionCluster c, long last) {
        List<String> digests = c.running().stream().map(r -> c.kv(r.nodeId()).digest()).distinct().toList();
        assertThat(digests).as("digests of every node in every region").hasSize(1);
        List<WalRecord> reference = RegionCluster.walEntries(c.running().get(0).wal());
        for (Replicator r : c.running()) {
            List<WalRecord> entries = RegionCluster.walEntries(r.wal());
            long first = entries.get(0).index();
            for (int i = 0; i < entries.size(); i++) {
                WalRecord e = entries.get(i);
                assertThat(e.index()).as("dense WAL on %s", r.nodeId()).isEqualTo(first + i);
                if (e.index() >= reference.get(0).index() && e.index() <= reference.get(reference.size() - 1).index()) {
                    assertThat(e.sameContentAs(reference.get((int) (e.index() - reference.get(0).index()))))
                            .as("entry %d on %s", e.index(), r.nodeId()).isTrue();
                }
            }
            assertThat(entries.get(entries.size() - 1).index()).isGreaterThanOrEqualTo(last);
        }
    }
}
