package io.meridian;

import io.meridian.kv.KvCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15, item 2: writes in a client session are applied exactly once, even when clients give up
 * waiting (a client-side timeout: the write is still in flight), leadership moves under them (the
 * server reports an unknown outcome or refuses), and they retry. Real JRaft, Chronicle and Aeron.
 */
@Timeout(240)
class ExactlyOnceTest {

    private static final int CLIENTS = 6;
    private static final int WRITES_PER_CLIENT = 120;

    @TempDir
    Path dir;

    @Test
    void timedOutAndRetriedWritesAreAppliedExactlyOnceAndSurviveRestarts() throws Exception {
        try (RegionCluster c = new RegionCluster(dir, RegionCluster.topology(1, 3),
                ctx -> ctx.applyTimeout(Duration.ofMillis(300))).startAll()) {
            c.awaitLeader("r0");
            Map<String, Position> answers = new ConcurrentHashMap<>();
            AtomicInteger retried = new AtomicInteger();
            AtomicInteger clientTimeouts = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
            try {
                Future<?> chaos = pool.submit(() -> moveLeadershipUntil(c, stop));
                List<Future<?>> clients = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    int id = client;
                    clients.add(pool.submit(() -> {
                        for (int seq = 1; seq <= WRITES_PER_CLIENT; seq++) {
                            answers.put(key(id, seq), writeUntilAnswered(c, id, seq, retried, clientTimeouts));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : clients) {
                    f.get(180, TimeUnit.SECONDS);
                }
                stop.set(true);
                chaos.get(30, TimeUnit.SECONDS);
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
            System.out.printf("exactly-once: %d writes, %d retried, %d client-side timeouts%n", answers.size(),
                    retried.get(), clientTimeouts.get());
            assertThat(retried.get()).as("writes that were retried after a timeout or refusal").isPositive();
            Replicator leader = c.awaitLeader("r0");
            long last = leader.appliedPosition().index();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r0", last);
            for (Replicator r : c.running()) {
                assertAppliedOnceAt(r, answers);
            }

            // A retry long after the fact still answers with the original position and applies nothing.
            String someKey = key(2, WRITES_PER_CLIENT);
            Position again = leader.apply(KvCommand.put(someKey, "again"), session(2, WRITES_PER_CLIENT))
                    .get(10, TimeUnit.SECONDS);
            assertThat(again).isEqualTo(answers.get(someKey));
            assertThat(c.kv(leader.nodeId()).getString(someKey)).isEqualTo("v");
            assertThatThrownBy(() -> leader.apply(KvCommand.put("x", "y"), session(2, 5)).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(StaleSessionException.class);

            // The table is in the snapshot: nodes restarted from it (and their Raft log) dedupe alike.
            for (Replicator r : c.running()) {
                r.snapshot().get(30, TimeUnit.SECONDS);
            }
            for (ClusterTopology.NodeSpec n : c.topology().allNodes()) {
                c.stop(n.nodeId());
            }
            c.startAll();
            Replicator restarted = c.awaitLeader("r0");
            long before = lastIndex(c, restarted);
            Position afterRestart = applyRetrying(c, KvCommand.put(key(4, WRITES_PER_CLIENT), "late"),
                    session(4, WRITES_PER_CLIENT));
            assertThat(afterRestart).isEqualTo(answers.get(key(4, WRITES_PER_CLIENT)));
            assertThat(lastIndex(c, c.awaitLeader("r0"))).isEqualTo(before);
            Position fresh = applyRetrying(c, KvCommand.put(key(4, WRITES_PER_CLIENT + 1), "v"),
                    session(4, WRITES_PER_CLIENT + 1));
            assertThat(fresh.index()).isGreaterThan(before);
        }
    }

    @Test
    void theSessionTableTravelsToSecondaryRegionsAndDedupesAfterASwitchover() throws Exception {
        try (RegionCluster c = CrossRegionReplicationTest.cluster(dir, 2).startAll()) {
            Replicator primary = c.awaitLeader("r0");
            c.awaitLeader("r1");
            Map<String, Position> answers = new HashMap<>();
            for (int seq = 1; seq <= 20; seq++) {
                answers.put(key(1, seq), primary.apply(KvCommand.put(key(1, seq), "v"),
                        WriteOptions.defaults().idempotencyKey("order-" + seq)).get(20, TimeUnit.SECONDS));
            }
            long last = primary.appliedPosition().index();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r1", last);
            c.awaitLeader("r0").switchover("r1").get(30, TimeUnit.SECONDS);
            Position retried = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (retried == null) {
                try {
                    retried = c.awaitLeader("r1").apply(KvCommand.put(key(1, 5), "v"),
                            WriteOptions.defaults().idempotencyKey("order-5")).get(20, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof MeridianException me && me.isRetriable()) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.onSpinWait();
                }
            }
            assertThat(retried).as("the original position, answered by the new primary").isEqualTo(answers.get(key(1, 5)));
            for (Replicator r : c.running()) {
                assertAppliedOnceAt(r, answers);
                assertThat(RegionCluster.walEntries(r.wal()).stream().filter(e -> e.index() > last && !e.control()))
                        .as("data entries after the switchover on %s", r.nodeId()).isEmpty();
            }
        }
    }

    /** One client's write: retried with the same session until it is answered. */
    private static Position writeUntilAnswered(RegionCluster c, int client, int seq, AtomicInteger retried,
                                               AtomicInteger clientTimeouts) throws Exception {
        byte[] payload = KvCommand.put(key(client, seq), "v");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int attempt = 0; ; attempt++) {
            if (attempt == 1) {
                retried.incrementAndGet();
            }
            Replicator target = c.runningIn("r0").stream().filter(Replicator::isLeader).findFirst()
                    .orElse(c.running().get(ThreadLocalRandom.current().nextInt(c.running().size())));
            // A third of first attempts give up at once: the client does not know whether it was applied.
            long wait = attempt == 0 && seq % 3 == 0 ? 0 : 5_000;
            try {
                return target.apply(payload, session(client, seq)).get(wait, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                clientTimeouts.incrementAndGet();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof MeridianException me && me.isRetriable())) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("write " + key(client, seq) + " not answered in 60 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }

    private static void moveLeadershipUntil(RegionCluster c, AtomicBoolean stop) {
        while (!stop.get()) {
            java.util.concurrent.locks.LockSupport.parkNanos(400_000_000L);
            try {
                Replicator leader = c.awaitLeader("r0");
                String to = c.runningIn("r0").stream().filter(r -> !r.isLeader()).findFirst().orElseThrow().nodeId();
                leader.transferLeadership(to).get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // a transfer racing an election: the next round tries again
            }
        }
    }

    private static Position applyRetrying(RegionCluster c, byte[] payload, WriteOptions options) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return c.awaitLeader("r0").apply(payload, options).get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof MeridianException me && me.isRetriable()) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /** Every answered write is in the node's WAL exactly once, at the position its (last) answer gave. */
    private static void assertAppliedOnceAt(Replicator r, Map<String, Position> answers) {
        Map<String, List<Long>> where = new HashMap<>();
        for (WalRecord e : RegionCluster.walEntries(r.wal())) {
            if (!e.control()) {
                where.computeIfAbsent(KvCommand.decode(e.payload()).key(), k -> new ArrayList<>()).add(e.index());
            }
        }
        for (Map.Entry<String, Position> a : answers.entrySet()) {
            assertThat(where.get(a.getKey())).as("indexes of %s on %s", a.getKey(), r.nodeId())
                    .containsExactly(a.getValue().index());
        }
    }

    private static long lastIndex(RegionCluster c, Replicator r) {
        return r.appliedPosition().index();
    }

    private static WriteOptions session(int client, int seq) {
        return WriteOptions.defaults().session("client-" + client, seq);
    }

    private static String key(int client, int seq) {
        return "c" + client + "-" + seq;
    }
}
