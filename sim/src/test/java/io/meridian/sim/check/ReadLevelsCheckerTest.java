package io.meridian.sim.check;

import io.meridian.ClusterTopology;
import io.meridian.MeridianException;
import io.meridian.OutcomeUnknownException;
import io.meridian.Position;
import io.meridian.ReadLevel;
import io.meridian.Replicator;
import io.meridian.ReplicatorContext;
import io.meridian.WalRecord;
import io.meridian.WalView;
import io.meridian.Witness;
import io.meridian.WriteOptions;
import io.meridian.kv.KvCommand;
import io.meridian.kv.KvStateMachine;
import io.meridian.sim.check.linear.LinearChecker;
import io.meridian.sim.check.linear.LinearResult;
import io.meridian.sim.check.linear.Op;
import io.meridian.sim.check.linear.SecondaryRead;
import io.meridian.sim.check.linear.SecondaryReadChecker;
import io.meridian.sim.check.linear.SecondaryResult;
import io.meridian.sim.check.linear.ValueFormat;
import io.meridian.sim.check.linear.WriteOrder;
import io.meridian.support.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, item 3, against the simulator's checkers: clients on every node of two real regions
 * write (forwarded when the node cannot take it) and read at each level; the linearizability checker
 * judges the writes with the linearizable reads (forwarded for a read index from the secondary), and
 * the secondary-read checker judges the session, bounded and local reads against the final log.
 * Session reads must also see the client's own last write.
 */
@Timeout(180)
class ReadLevelsCheckerTest {

    private static final byte[] SECRET = "meridian-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final int CLIENTS = 4;
    private static final long RUN_NANOS = Duration.ofSeconds(4).toNanos();

    @TempDir
    Path dir;

    private final AtomicLong ids = new AtomicLong();

    @Test
    void everyLevelPassesTheCheckers() throws Exception {
        ClusterTopology.Builder b = ClusterTopology.builder();
        for (String region : List.of("r0", "r1")) {
            b.region(region);
            for (int n = 1; n <= 3; n++) {
                b.node(region + "-" + n, LoopbackPorts.endpoint(), LoopbackPorts.endpoint());
            }
        }
        ClusterTopology topology = b.witness(LoopbackPorts.endpoint()).primary("r0").build();
        Map<String, Replicator> nodes = new LinkedHashMap<>();
        Map<String, KvStateMachine> kvs = new LinkedHashMap<>();
        try (Witness witness = Witness.start(topology.witnessEndpoint(), SECRET, dir.resolve("witness.state"), "r0",
                java.util.function.Function.identity())) {
            try {
                for (ClusterTopology.NodeSpec n : topology.allNodes()) {
                    KvStateMachine kv = new KvStateMachine();
                    kvs.put(n.nodeId(), kv);
                    nodes.put(n.nodeId(), Replicator.start(new ReplicatorContext().nodeId(n.nodeId()).topology(topology)
                            .dataDir(dir.resolve(n.nodeId())).stateMachine(kv).electionTimeout(Duration.ofMillis(600))
                            .applyTimeout(Duration.ofSeconds(5)).fsync(false).clusterSecret(SECRET).forwardWrites(true)));
                }
                warmUp(nodes);
                List<Op> linear = Collections.synchronizedList(new ArrayList<>());
                List<SecondaryRead> secondary = Collections.synchronizedList(new ArrayList<>());
                List<String> ownWriteMisses = Collections.synchronizedList(new ArrayList<>());
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
                List<Future<?>> clients = new ArrayList<>();
                long start = System.nanoTime();
                for (int c = 0; c < CLIENTS; c++) {
                    String client = "c" + c;
                    clients.add(pool.submit(() -> {
                        runClient(client, nodes, kvs, start, linear, secondary, ownWriteMisses);
                        return null;
                    }));
                }
                for (Future<?> f : clients) {
                    f.get(120, TimeUnit.SECONDS);
                }
                pool.shutdownNow();

                Replicator leader = nodes.values().stream().filter(r -> r.region().equals("r0") && r.isLeader())
                        .findFirst().orElseThrow();
                WriteOrder order = writeOrder(leader.wal());
                LinearResult linearResult = LinearChecker.check(linear);
                SecondaryResult secondaryResult = SecondaryReadChecker.check(secondary, order);
                long reads = linear.stream().filter(Op::isRead).count();
                System.out.printf("read levels: %d linearizable ops (%d reads), %d secondary reads; %s; %s%n",
                        linear.size(), reads, secondary.size(), linearResult.verdict(), secondaryResult);
                assertThat(reads).as("linearizable reads").isGreaterThan(20);
                assertThat(secondary.size()).as("session, bounded and local reads").isGreaterThan(60);
                assertThat(linearResult.ok()).as("linearizability: %s", linearResult.violationLines()).isTrue();
                assertThat(secondaryResult.ok()).as("secondary reads: %s", secondaryResult).isTrue();
                assertThat(ownWriteMisses).as("session reads missing the client's own write").isEmpty();
            } finally {
                nodes.values().forEach(Replicator::close);
            }
        }
    }

    /** One client: writes its own key and a shared one, then reads at every level on a random node. */
    private void runClient(String client, Map<String, Replicator> nodes, Map<String, KvStateMachine> kvs, long start,
                           List<Op> linear, List<SecondaryRead> secondary, List<String> ownWriteMisses) {
        List<Replicator> all = new ArrayList<>(nodes.values());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String own = "own-" + client;
        Position last = null;
        String lastOwnValue = null;
        while (System.nanoTime() - start < RUN_NANOS) {
            Replicator at = all.get(random.nextInt(all.size()));
            String key = random.nextBoolean() ? own : "shared-" + random.nextInt(3);
            String value = ValueFormat.of(ids.incrementAndGet());
            long t0 = System.nanoTime();
            try {
                last = at.apply(KvCommand.put(key, value), WriteOptions.defaults()).get(10, TimeUnit.SECONDS);
                linear.add(Op.write(ids.get(), client, key, value, t0, System.nanoTime(), Op.Outcome.OK, at.region()));
                if (key.equals(own)) {
                    lastOwnValue = value;
                }
            } catch (Exception e) {
                linear.add(Op.write(ids.get(), client, key, value, t0, Op.NEVER, outcomeOf(e), at.region()));
                if (key.equals(own)) {
                    lastOwnValue = null; // unknown now: the session check below needs a known last write
                }
                continue;
            }
            Replicator reader = all.get(random.nextInt(all.size()));
            KvStateMachine kv = kvs.get(reader.nodeId());
            String readKey = random.nextBoolean() ? own : key;
            // linearizable (forwarded for a read index where this node cannot serve it)
            long r0 = System.nanoTime();
            try {
                String seen = string(reader.read(ReadLevel.linearizable(), () -> kv.get(readKey)).get(10, TimeUnit.SECONDS));
                linear.add(Op.read(ids.incrementAndGet(), client, readKey, seen, r0, System.nanoTime(), Op.Outcome.OK,
                        reader.region()));
            } catch (Exception e) {
                linear.add(Op.read(ids.incrementAndGet(), client, readKey, null, r0, Op.NEVER, Op.Outcome.UNKNOWN,
                        reader.region()));
            }
            // session: waits for the client's last position, so it must see the client's own last write
            String expectedOwn = lastOwnValue;
            Position after = last;
            boolean served = bracketed(secondary, client, reader, kv, own, ReadLevel.session(after), seen -> {
                if (expectedOwn != null && !expectedOwn.equals(seen)) {
                    ownWriteMisses.add(client + " wrote " + expectedOwn + " before " + after + ", read " + seen
                            + " on " + reader.nodeId());
                }
            });
            if (!served) {
                ownWriteMisses.add(client + ": session read of " + after + " failed on " + reader.nodeId());
            }
            bracketed(secondary, client, reader, kv, readKey, ReadLevel.bounded(Duration.ofSeconds(5)), seen -> { });
            bracketed(secondary, client, reader, kv, readKey, ReadLevel.local(), seen -> { });
        }
    }

    /** A read at {@code level} with the node's applied prefix taken around it, as the simulator's stale reads do. */
    private boolean bracketed(List<SecondaryRead> out, String client, Replicator reader, KvStateMachine kv, String key,
                              ReadLevel level, java.util.function.Consumer<String> check) {
        long t0 = System.nanoTime();
        long[] brackets = new long[2];
        try {
            String seen = reader.read(level, () -> {
                brackets[0] = kv.lastIndex() - 1;
                String v = string(kv.get(key));
                brackets[1] = kv.lastIndex();
                return v;
            }).get(10, TimeUnit.SECONDS);
            check.accept(seen);
            Op op = Op.read(ids.incrementAndGet(), client, key, seen, t0, System.nanoTime(), Op.Outcome.OK,
                    reader.nodeId());
            out.add(new SecondaryRead(op, Math.max(0, brackets[0]), brackets[1]));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false; // e.g. a refused bounded read: nothing observed, nothing to judge
        }
    }

    private static Op.Outcome outcomeOf(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof MeridianException && !(cause instanceof OutcomeUnknownException) ? Op.Outcome.FAIL
                : Op.Outcome.UNKNOWN;
    }

    private static String string(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static String string(String value) {
        return value;
    }

    private static WriteOrder writeOrder(WalView wal) {
        WriteOrder.Builder order = WriteOrder.builder();
        try (WalView.Reader reader = wal.openReader(wal.firstIndex())) {
            for (WalRecord e = reader.next(); e != null; e = reader.next()) {
                if (!e.control()) {
                    KvCommand cmd = KvCommand.decode(e.payload());
                    order.applied(cmd.key(), ValueFormat.writeIdOf(new String(cmd.value(), StandardCharsets.UTF_8)),
                            e.index());
                }
            }
        }
        return order.build();
    }

    /** Until every node can serve: the primary holds its lease and the secondary knows its leader. */
    private static void warmUp(Map<String, Replicator> nodes) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().untilAsserted(() -> {
                    for (Replicator r : nodes.values()) {
                        r.apply(KvCommand.put("warmup", "w0:"), WriteOptions.defaults()).get(5, TimeUnit.SECONDS);
                        r.read(ReadLevel.linearizable(), () -> "ok").get(5, TimeUnit.SECONDS);
                    }
                });
    }
}
