package io.meridian;

import io.meridian.kv.KvCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4: unplanned promotion of r1 while r0 is cut off and still receiving client writes; r0's
 * lease (backed by a witness) fences it before r1 accepts anything; r0's exported divergent tail is
 * exactly the acknowledged writes r1 lacks; r0 rejoins and every region converges.
 */
@Timeout(300)
class PromotionTest {

    @TempDir
    Path dir;

    record Ack(int id, String region, Position position, long atNanos) { }

    @Test
    void promotionWhilePrimaryIsCutOffReportsExactlyWhatWasLostAndOldPrimaryRejoins() throws Exception {
        ClusterTopology topology = RegionCluster.topology(2, 3);
        String witnessEndpoint = topology.witnessEndpoint();
        Partition partition = new Partition(topology, witnessEndpoint);
        Duration lease = Duration.ofMillis(1500);
        try (RegionCluster c = new RegionCluster(dir, topology, ctx -> ctx.crossRegion(new CrossRegionSettings()
                     .lease(lease).leaseMargin(Duration.ofMillis(300))
                     .ackTimeout(Duration.ofMillis(500)).handshakeTimeout(Duration.ofMillis(300))
                     .endpointMapper(partition.mapperFor(topology.node(ctx.nodeId()).orElseThrow().region()))))
                .witnessMapper(partition.mapperFor(Witness.NAME))) {
            c.startAll();
            Witness witness = c.witness();
            c.awaitLeader("r0");
            c.awaitLeader("r1");
            Map<Integer, Ack> acked = new ConcurrentHashMap<>();
            Set<String> errors = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> writer = writeToEveryAdmittingLeader(c, acked, errors, stop);

            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 2_000);
            partition.isolate("r0");
            long cutAt = System.nanoTime();
            errors.clear(); // only refusals after the cut count (a loaded machine can miss a lease renewal)
            // r0 keeps taking writes until its lease runs out, then refuses them (retriable: no lease).
            await().atMost(Duration.ofSeconds(20)).until(() -> errors.contains("LeaseUnavailableException")
                    && System.nanoTime() - cutAt > lease.toNanos());
            long fencedAfterMs = (System.nanoTime() - cutAt) / 1_000_000;

            Replicator r1Leader = c.awaitLeader("r1");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> r1Leader.promote(false).get(10, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(PromotionRefusedException.class)
                            .hasMessageContaining("lag"));
            long promoteStart = System.nanoTime();
            Position epochStart = r1Leader.promote(true).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> acked.values().stream().anyMatch(a -> a.region().equals("r1")));
            long firstWriteMs = (System.nanoTime() - promoteStart) / 1_000_000;
            System.out.printf("r0 fenced %d ms after the cut; promote -> first write on r1 %d ms; epoch starts at %s%n",
                    fencedAfterMs, firstWriteMs, epochStart);
            assertThat(epochStart.epoch()).isEqualTo(2);

            // No two accepting primaries: every r0 ack precedes every r1 ack.
            long lastR0 = acked.values().stream().filter(a -> a.region().equals("r0")).mapToLong(Ack::atNanos).max().orElseThrow();
            long firstR1 = acked.values().stream().filter(a -> a.region().equals("r1")).mapToLong(Ack::atNanos).min().orElseThrow();
            assertThat(lastR0).as("last r0 ack before first r1 ack").isLessThan(firstR1);

            partition.heal();
            int mark = acked.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= mark + 1_000);
            stop.set(true);
            writer.get(30, TimeUnit.SECONDS);

            long last = c.awaitLeader("r1").appliedPosition().index();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r0", last);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    c.running().stream().map(r -> c.kv(r.nodeId()).digest()).distinct().count() == 1);

            // Acked by r0 and missing from the final state == exactly the exported divergent tail.
            var finalKv = c.kv(c.awaitLeader("r1").nodeId());
            Set<Integer> lost = new HashSet<>();
            acked.values().forEach(a -> {
                if (finalKv.getString("w" + a.id()) == null) {
                    lost.add(a.id());
                }
            });
            Set<Integer> exported = exportedWriteIds(c);
            System.out.printf("lost acked writes: %d, exported divergent tail: %d%n", lost.size(), exported.size());
            assertThat(lost).as("lost acked writes are all from r0").allMatch(id -> acked.get(id).region().equals("r0"));
            // Every acked write that was lost is in the exported tail, and everything exported is
            // really gone. The tail may also hold writes whose client never saw the ack (e.g. a
            // starved leader answered NotLeader although the entry had committed): never acked ones.
            assertThat(exported).containsAll(lost);
            assertThat(exported).allMatch(id -> finalKv.getString("w" + id) == null);
            Set<Integer> exportedNotAcked = new HashSet<>(exported);
            exportedNotAcked.removeAll(lost);
            assertThat(exportedNotAcked).as("exported but not lost-acked: must never have been acked")
                    .noneMatch(acked::containsKey);
            assertThatThrownBy(() -> c.awaitLeader("r0").apply(Writes.payload(-1)).join())
                    .hasCauseInstanceOf(NotPrimaryException.class);
            // Read-your-writes on a lost position fails clearly instead of reporting it applied.
            if (!lost.isEmpty()) {
                Position lostAt = acked.get(lost.iterator().next()).position();
                assertThatThrownBy(() -> c.awaitLeader("r1").awaitApplied(lostAt, Duration.ofSeconds(5)).join())
                        .hasCauseInstanceOf(PositionLostException.class);
            }
            assertThat(witness.epoch()).isEqualTo(2);
        }
    }

    private Set<Integer> exportedWriteIds(RegionCluster c) throws Exception {
        Set<Integer> ids = new HashSet<>();
        for (ClusterTopology.NodeSpec n : c.topology().nodes("r0")) {
            Path divergent = dir.resolve(n.nodeId()).resolve("divergent");
            if (!Files.isDirectory(divergent)) {
                continue;
            }
            try (Stream<Path> files = Files.list(divergent)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                    for (DivergentTailExporter.TailEntry e : DivergentTailExporter.read(f)) {
                        if (e.type().equals("DATA")) {
                            String key = KvCommand.decode(e.payload()).key();
                            ids.add(Integer.parseInt(key.substring(1)));
                        }
                    }
                }
            }
        }
        return ids;
    }

    static CompletableFuture<Void> writeToEveryAdmittingLeader(RegionCluster c, Map<Integer, Ack> acked,
                                                               Set<String> errors, AtomicBoolean stop) {
        return CompletableFuture.runAsync(() -> {
            Semaphore permits = new Semaphore(8);
            int i = 0;
            while (!stop.get()) {
                try {
                    if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                List<Replicator> leaders = c.running().stream().filter(Replicator::isLeader)
                        .filter(r -> !"SECONDARY".equals(r.health().regionRole())).toList();
                if (leaders.isEmpty()) {
                    permits.release();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                Replicator target = leaders.get(i % leaders.size());
                int id = i++;
                target.apply(Writes.payload(id)).whenComplete((p, e) -> {
                    if (e == null) {
                        acked.put(id, new Ack(id, target.region(), p, System.nanoTime()));
                    } else {
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        errors.add(cause.getClass().getSimpleName());
                    }
                    permits.release();
                });
            }
            try {
                permits.tryAcquire(8, 30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
