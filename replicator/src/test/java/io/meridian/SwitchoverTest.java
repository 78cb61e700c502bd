package io.meridian;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Issue 4: planned switchover under continuous writes loses nothing; clients only see retriable errors. */
@Timeout(240)
class SwitchoverTest {

    @TempDir
    Path dir;

    @Test
    void switchoverUnderLoadLosesNothingAndOldPrimaryFollows() throws Exception {
        try (RegionCluster c = CrossRegionReplicationTest.cluster(dir, 2).startAll()) {
            c.awaitLeader("r0");
            c.awaitLeader("r1");
            Map<Integer, Position> acked = new ConcurrentHashMap<>();
            Set<String> errorKinds = ConcurrentHashMap.newKeySet();
            AtomicInteger nonRetriable = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                Semaphore permits = new Semaphore(16);
                int i = 0;
                while (!stop.get()) {
                    try {
                        if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    Replicator target = c.running().stream().filter(r -> r.isLeader()
                            && "PRIMARY".equals(r.health().regionRole())).findFirst().orElse(null);
                    if (target == null) {
                        permits.release();
                        Thread.onSpinWait();
                        continue;
                    }
                    int id = i++;
                    target.apply(Writes.payload(id)).whenComplete((p, e) -> {
                        if (e == null) {
                            acked.put(id, p);
                        } else {
                            Throwable cause = e.getCause() != null ? e.getCause() : e;
                            errorKinds.add(cause.getClass().getSimpleName());
                            if (!(cause instanceof MeridianException me && me.isRetriable())) {
                                nonRetriable.incrementAndGet();
                            }
                        }
                        permits.release();
                    });
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 3_000);

            Duration took = c.awaitLeader("r0").switchover("r1").get(30, TimeUnit.SECONDS);
            System.out.println("switchover r0 -> r1 took " + took.toMillis() + " ms; client errors seen: " + errorKinds);
            await().atMost(Duration.ofSeconds(30)).until(() -> "PRIMARY".equals(c.awaitLeader("r1").health().regionRole()));
            int mark = acked.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= mark + 3_000);
            stop.set(true);
            writer.get(30, TimeUnit.SECONDS);

            Replicator newPrimary = c.awaitLeader("r1");
            assertThat(newPrimary.health().epoch()).isEqualTo(2);
            long last = newPrimary.appliedPosition().index();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r0", last);
            CrossRegionReplicationTest.awaitRegionApplied(c, "r1", last);
            CrossRegionReplicationTest.assertConverged(c, last);
            for (Replicator r : c.running()) {
                for (Integer id : acked.keySet()) {
                    assertThat(c.kv(r.nodeId()).getString("w" + id)).as("acked write %d on %s", id, r.nodeId())
                            .isEqualTo("v" + id);
                }
            }
            assertThat(nonRetriable.get()).as("non-retriable errors during switchover: %s", errorKinds).isZero();
            // The old primary refuses writes and names the new one.
            Replicator oldLeader = c.awaitLeader("r0");
            assertThatThrownBy(() -> oldLeader.apply(Writes.payload(-1)).join())
                    .hasCauseInstanceOf(NotPrimaryException.class).hasMessageContaining("r1");
        }
    }

    @Test
    void switchoverToAnUnreachableTargetAbortsAndTheOldPrimaryResumes() throws Exception {
        ClusterTopology topology = RegionCluster.topology(2, 3);
        Partition partition = new Partition(topology, null);
        try (RegionCluster c = new RegionCluster(dir, topology, ctx -> ctx.crossRegion(new CrossRegionSettings()
                .switchoverTimeout(Duration.ofSeconds(2)).ackTimeout(Duration.ofMillis(500))
                .endpointMapper(partition.mapperFor(topology.node(ctx.nodeId()).orElseThrow().region()))))) {
            c.startAll();
            Replicator primary = c.awaitLeader("r0");
            c.awaitLeader("r1");
            new Writes().writeAll(primary, 200, 16);
            partition.isolate("r1");
            new Writes().writeAll(primary, 200, 16); // r1 cannot have acked these
            long start = System.nanoTime();
            assertThatThrownBy(() -> primary.switchover("r1").get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(PromotionRefusedException.class).hasMessageContaining("aborted");
            System.out.printf("switchover to an unreachable region aborted after %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);
            assertThat(primary.health().regionRole()).isEqualTo("PRIMARY");
            assertThat(primary.health().epoch()).isEqualTo(1);
            Position after = c.applyRetrying("r0", Writes.payload(123_456), Duration.ofSeconds(20));
            assertThat(after.epoch()).isEqualTo(1);
            partition.heal();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r1", after.index());
        }
    }
}
