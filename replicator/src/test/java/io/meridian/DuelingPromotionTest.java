package io.meridian;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One winner per epoch, with real regions: two regions promoted at the same moment, and a promotion
 * whose first vote requests are lost.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DuelingPromotionTest {

    @TempDir
    Path dir;

    private static CrossRegionSettings settings(Partition partition, ClusterTopology topology, ReplicatorContext ctx) {
        // A longer election timeout than the fixture's: these tests judge promotions, and a Raft leader
        // change in the middle (a starved JVM on a loaded machine) would end one for another reason.
        ctx.electionTimeout(Duration.ofMillis(1500));
        return new CrossRegionSettings().lease(Duration.ofMillis(1000)).leaseMargin(Duration.ofMillis(200))
                .ackTimeout(Duration.ofMillis(500)).handshakeTimeout(Duration.ofMillis(300))
                .endpointMapper(partition.mapperFor(topology.node(ctx.nodeId()).orElseThrow().region()));
    }

    @Test
    void twoRegionsPromotedAtOnceGiveExactlyOneWinnerAndTheLoserNamesIt() throws Exception {
        ClusterTopology topology = RegionCluster.topology(3, 3);
        Partition partition = new Partition(topology, null);
        try (RegionCluster c = new RegionCluster(dir, topology, ctx -> ctx.crossRegion(settings(partition, topology, ctx)))) {
            c.startAll();
            Replicator r0 = c.awaitLeader("r0");
            Map<Integer, PromotionTest.Ack> acked = new ConcurrentHashMap<>();
            Set<String> errors = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> writer = PromotionTest.writeToEveryAdmittingLeader(c, acked, errors, stop);
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 500);
            assertThat(r0.isLeader()).isTrue();

            partition.isolate("r0");
            Replicator r1 = c.awaitLeader("r1");
            Replicator r2 = c.awaitLeader("r2");
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Position>> results = new ArrayList<>();
            for (Replicator candidate : List.of(r1, r2)) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return candidate.promote(true).get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e instanceof ExecutionException ? e.getCause() : e);
                    }
                }));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String region = i == 0 ? "r1" : "r2";
                try {
                    Position p = results.get(i).get(60, TimeUnit.SECONDS);
                    assertThat(p.epoch()).isEqualTo(2);
                    winners.add(region);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(PromotionRefusedException.class);
                    refusals.add(region + ": " + e.getCause().getMessage());
                }
            }
            System.out.println("winners " + winners + ", refusals " + refusals);
            assertThat(winners).as("exactly one winner of epoch 2").hasSize(1);
            String winner = winners.get(0);
            assertThat(refusals).hasSize(1);
            assertThat(refusals.get(0)).contains("won by " + winner);

            // Only the winner's region, and never r0 after it, acknowledges writes from now on.
            await().atMost(Duration.ofSeconds(20)).until(() -> acked.values().stream().anyMatch(a -> a.region().equals(winner)));
            partition.heal();
            int mark = acked.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= mark + 300);
            stop.set(true);
            writer.get(30, TimeUnit.SECONDS);
            long firstWinnerAck = acked.values().stream().filter(a -> a.region().equals(winner))
                    .mapToLong(PromotionTest.Ack::atNanos).min().orElseThrow();
            assertThat(acked.values()).filteredOn(a -> !a.region().equals(winner) && a.atNanos() > firstWinnerAck)
                    .as("acknowledged by another region after the winner's first ack").isEmpty();
            assertThat(acked.values()).filteredOn(a -> a.position().epoch() == 2)
                    .allMatch(a -> a.region().equals(winner));

            long last = c.awaitLeader(winner).appliedPosition().index();
            for (String r : List.of("r0", "r1", "r2")) {
                CrossRegionReplicationTest.awaitRegionApplied(c, r, last);
            }
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    c.running().stream().map(r -> c.kv(r.nodeId()).digest()).distinct().count() == 1);
        }
    }

    @Test
    void votesLostOnTheWayAreAskedForAgainUntilThePromotionCompletes() throws Exception {
        ClusterTopology topology = RegionCluster.topology(2, 3);
        Partition partition = new Partition(topology, topology.witnessEndpoint());
        try (RegionCluster c = new RegionCluster(dir, topology, ctx -> ctx.crossRegion(settings(partition, topology, ctx)))
                .witnessMapper(partition.mapperFor(Witness.NAME))) {
            c.startAll();
            c.awaitLeader("r0");
            c.awaitLeader("r1");
            partition.isolate("r0");
            // The first vote requests to the witness are lost, as when a new Aeron connection is slow.
            partition.cut("r1", Witness.NAME);
            CompletableFuture.delayedExecutor(1200, TimeUnit.MILLISECONDS).execute(() -> partition.restore("r1", Witness.NAME));

            Position p = c.promoteRetrying("r1", true, Duration.ofSeconds(30));

            assertThat(p.epoch()).isEqualTo(2);
            // The witness granted a promise; it learns the epoch as established from r1's first pings.
            await().atMost(Duration.ofSeconds(10)).until(() -> c.witness().epoch() == 2);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(c.awaitLeader("r1").apply(Writes.payload(1)).get(10, TimeUnit.SECONDS).epoch()).isEqualTo(2));
        }
    }

    @Test
    void aFailedPromotionLeavesTheOldPrimaryServingAndFencesNoOne() throws Exception {
        ClusterTopology topology = RegionCluster.topology(2, 3);
        Partition partition = new Partition(topology, topology.witnessEndpoint());
        try (RegionCluster c = new RegionCluster(dir, topology, ctx -> ctx.crossRegion(settings(partition, topology, ctx)
                        .switchoverTimeout(Duration.ofSeconds(5))))
                .witnessMapper(partition.mapperFor(Witness.NAME))) {
            c.startAll();
            Replicator r0 = c.awaitLeader("r0");
            c.awaitLeader("r1");
            // r1 can reach nobody: its candidacy gathers only its own grant and must fail.
            partition.isolate("r1");

            assertThatThrownBy(() -> c.promoteRetrying("r1", true, Duration.ofSeconds(30)))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PromotionRefusedException.class);
            partition.heal();
            // The epoch that did not win fences no one: r0 keeps writing in epoch 1, r1 follows it.
            for (int i = 0; i < 50; i++) {
                int id = i;
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                        assertThat(c.awaitLeader("r0").apply(Writes.payload(id)).get(5, TimeUnit.SECONDS).epoch()).isEqualTo(1));
            }
            long last = r0.appliedPosition().index();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r1", last);
            assertThat(c.witness().epoch()).isEqualTo(1);
            // And the promotion can be retried later: it asks for a newer epoch than its own promise.
            partition.isolate("r0");
            Position p = c.promoteRetrying("r1", true, Duration.ofSeconds(30));
            assertThat(p.epoch()).isGreaterThanOrEqualTo(3);
        }
    }
}
