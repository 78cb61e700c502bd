package io.meridian;

import io.meridian.support.LoopbackPorts;

import io.meridian.kv.KvCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WAL never fills the disk: with a small cap and one-second roll cycles, a primary region writes
 * ten times the cap while one remote region (r1) follows and another (r2) is down for the whole run.
 * Every node's WAL stays near the cap: followers and r1 release what their snapshots cover, the
 * primary's leader releases past r2's (missing) acknowledgement only through the cap. When r2 comes
 * back it needs entries no node holds any more, so it is re-seeded from an image and converges.
 */
@Timeout(300)
class WalRetentionTest {

    private static final long CAP = 2L << 20;
    private static final int VALUE_BYTES = 1000;
    private static final long BYTES_PER_SECOND = 700L << 10; // a one-second cycle stays ~1/3 of the cap

    @TempDir
    Path dir;

    @Test
    void walStaysNearItsCapAndARegionDownForTheWholeRunIsReseededFromAnImage() throws Exception {
        ClusterTopology topology = ClusterTopology.builder()
                .region("r0").node("r0-1", LoopbackPorts.endpoint(), LoopbackPorts.endpoint())
                .node("r0-2", LoopbackPorts.endpoint(), LoopbackPorts.endpoint())
                .node("r0-3", LoopbackPorts.endpoint(), LoopbackPorts.endpoint())
                .region("r1").node("r1-1", LoopbackPorts.endpoint(), LoopbackPorts.endpoint())
                .region("r2").node("r2-1", LoopbackPorts.endpoint(), LoopbackPorts.endpoint())
                .primary("r0").build();
        try (RegionCluster c = new RegionCluster(dir, topology, ctx -> ctx
                .snapshotInterval(Duration.ofSeconds(1))
                .walRetention(new WalRetentionSettings().maxBytes(CAP).rollPeriod(Duration.ofSeconds(1))
                        .marginEntries(200).checkInterval(Duration.ofMillis(100)))
                .crossRegion(new CrossRegionSettings().ackTimeout(Duration.ofMillis(500))
                        .handshakeTimeout(Duration.ofMillis(300))))) {
            for (String node : List.of("r0-1", "r0-2", "r0-3", "r1-1")) {
                c.start(node);
            }
            Replicator leader = c.awaitLeader("r0");
            c.awaitLeader("r1");

            Map<String, Long> maxWalBytes = new ConcurrentHashMap<>();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    for (Replicator r : c.running()) {
                        maxWalBytes.merge(r.nodeId(), r.health().walBytes(), Math::max);
                    }
                    LockSupport.parkNanos(50_000_000L);
                }
            }, "wal-size-sampler");
            sampler.start();
            long written;
            try {
                written = writePaced(leader, 10 * CAP + CAP / 2);
            } finally {
                sampling.set(false);
                sampler.join();
            }
            long last = leader.appliedPosition().index();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r0", last);
            CrossRegionReplicationTest.awaitRegionApplied(c, "r1", last);

            System.out.printf("WAL cap %d bytes; %d payload bytes written in %d entries%n", CAP, written, last);
            for (Replicator r : c.running()) {
                Health h = r.health();
                System.out.printf("  %s: max WAL %d bytes (%.2fx cap), now %d bytes holding %d..%d%n", r.nodeId(),
                        maxWalBytes.get(r.nodeId()), maxWalBytes.get(r.nodeId()) / (double) CAP, h.walBytes(),
                        h.walFirstIndex(), h.walLastIndex());
            }
            assertThat(written).isGreaterThanOrEqualTo(10 * CAP);
            for (Replicator r : c.running()) {
                assertThat(maxWalBytes.get(r.nodeId())).as("max WAL bytes of %s", r.nodeId()).isLessThan(2 * CAP);
                assertThat(r.health().walFirstIndex()).as("%s released its WAL", r.nodeId()).isGreaterThan(1);
            }

            long t0 = System.nanoTime();
            Replicator r2 = c.start("r2-1");
            CrossRegionReplicationTest.awaitRegionApplied(c, "r2", last);
            double reseedSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("r2 re-seeded from an image and caught up to %d in %.2fs%n", last, reseedSeconds);
            assertThat(r2.wal().firstIndex()).as("r2's WAL restarts after the image").isGreaterThan(1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    c.running().stream().map(r -> c.kv(r.nodeId()).digest()).distinct().toList())
                    .as("digests of every node in every region").hasSize(1));
        }
    }

    /** Writes about {@code bytes} of payload at {@link #BYTES_PER_SECOND}; returns the bytes acknowledged. */
    private static long writePaced(Replicator leader, long bytes) throws InterruptedException {
        AtomicLong acked = new AtomicLong();
        Semaphore inFlight = new Semaphore(32);
        String value = "x".repeat(VALUE_BYTES);
        long start = System.nanoTime();
        long offered = 0;
        for (int i = 0; acked.get() < bytes; i++) {
            long due = start + offered * 1_000_000_000L / BYTES_PER_SECOND;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing a writer, not waiting for a condition
            }
            byte[] payload = KvCommand.put("k" + (i % 500), value + i);
            offered += payload.length;
            inFlight.acquire();
            leader.apply(payload).whenComplete((p, e) -> {
                if (e == null) {
                    acked.addAndGet(payload.length);
                }
                inFlight.release();
            });
        }
        if (!inFlight.tryAcquire(32, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("writes did not complete");
        }
        return acked.get();
    }
}
