package io.meridian;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 3: an unreachable region, a wrong secret, and read-your-writes across regions. */
@Timeout(240)
class CrossRegionFaultsTest {

    @TempDir
    Path dir;

    @Test
    void unreachableRegionCatchesUpAfterwardsWhileThePrimaryWindowStaysBounded() throws Exception {
        ClusterTopology topology = RegionCluster.topology(2, 3);
        Partition partition = new Partition(topology, null);
        CrossRegionSettings settings = new CrossRegionSettings().ackTimeout(Duration.ofMillis(500))
                .handshakeTimeout(Duration.ofMillis(300)).maxInFlightBatches(8).maxInFlightBytes(256 * 1024);
        try (RegionCluster c = new RegionCluster(dir, topology, ctx -> ctx.crossRegion(settings.endpointMapper(
                endpoint -> partition.mapperFor(topology.node(ctx.nodeId()).orElseThrow().region()).apply(endpoint))))) {
            c.startAll();
            Replicator primary = c.awaitLeader("r0");
            c.awaitLeader("r1");
            new Writes().writeAll(primary, 1_000, 64);
            CrossRegionReplicationTest.awaitRegionApplied(c, "r1", primary.appliedPosition().index());

            partition.isolate("r1");
            // Sample the primary's window toward r1 continuously while writes pile up behind the cut.
            java.util.concurrent.atomic.AtomicLong maxBatches = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong maxBytes = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    Health.RemoteStatus s = primary.health().remotes().get("r1");
                    if (s != null) {
                        maxBatches.accumulateAndGet(s.inFlightBatches(), Math::max);
                        maxBytes.accumulateAndGet(s.inFlightBytes(), Math::max);
                    }
                    Thread.onSpinWait();
                }
            });
            sampler.start();
            try {
                for (int round = 0; round < 10; round++) {
                    new Writes().writeAll(primary, 2_000, 64);
                }
            } finally {
                sampling.set(false);
                sampler.join();
            }
            Health.RemoteStatus during = primary.health().remotes().get("r1");
            System.out.printf("while r1 was unreachable: lag %d entries, at most %d batches / %d bytes in flight%n",
                    during.lagEntries(), maxBatches.get(), maxBytes.get());
            assertThat(maxBatches.get()).isLessThanOrEqualTo(8);
            assertThat(maxBytes.get()).isLessThanOrEqualTo(256 * 1024 + 64 * 1024);
            assertThat(during.lagEntries()).isGreaterThan(10_000);

            partition.heal();
            long last = primary.appliedPosition().index();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r1", last);
            CrossRegionReplicationTest.assertConverged(c, last);
        }
    }

    @Test
    void wrongSecretIsRefusedAndNothingIsApplied() throws Exception {
        byte[] wrong = "a-completely-different-secret!!".getBytes(StandardCharsets.UTF_8);
        ClusterTopology topology = RegionCluster.topology(2, 3);
        try (RegionCluster c = new RegionCluster(dir, topology, ctx -> {
            ctx.crossRegion(new CrossRegionSettings().handshakeTimeout(Duration.ofMillis(200)));
            if (topology.node(ctx.nodeId()).orElseThrow().region().equals("r1")) {
                ctx.clusterSecret(wrong);
            }
        })) {
            c.startAll();
            Replicator primary = c.awaitLeader("r0");
            Replicator remote = c.awaitLeader("r1");
            new Writes().writeAll(primary, 500, 32);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    c.runningIn("r1").stream().mapToLong(Replicator::droppedFrames).sum() >= 3);
            assertThat(remote.appliedPosition().index()).isZero();
            for (Replicator r : c.runningIn("r1")) {
                assertThat(c.kv(r.nodeId()).size()).isZero();
            }
            assertThat(primary.health().remotes().get("r1").ackedIndex()).isZero();
        }
    }

    @Test
    void readYourWritesAcrossRegions() throws Exception {
        try (RegionCluster c = CrossRegionReplicationTest.cluster(dir, 2).startAll()) {
            Replicator primary = c.awaitLeader("r0");
            c.awaitLeader("r1");
            Replicator remoteFollower = c.follower("r1");
            for (int i = 0; i < 50; i++) {
                Position p = primary.apply(io.meridian.kv.KvCommand.put("ryw", "value-" + i)).get(10, TimeUnit.SECONDS);
                remoteFollower.awaitApplied(p, Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
                int round = i;
                assertThat(remoteFollower.readStale(() -> c.kv(remoteFollower.nodeId()).getString("ryw")))
                        .isEqualTo("value-" + round);
            }
        }
    }
}
