package io.meridian.bench;

import com.alipay.sofa.jraft.Node;
import io.meridian.Replicator;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Commits in one 3-node region: writes through {@link Replicator#apply} (Raft, WAL append, KV apply
 * on every node) against plain SOFAJRaft with a no-op state machine, at the same pipeline depth,
 * payload and fsync setting. All nodes share this JVM and its cores, as in the tests.
 *
 * <p>fsync defaults to off (like the test suites): on a shared 2-core VM the fsync latency of the
 * virtual disk dominates both sides and hides Meridian's own cost. Run with {@code -p fsync=true}
 * for the durable configuration.
 */
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RegionCommitBenchmark {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration DRAIN = Duration.ofSeconds(60);

    /** Meridian: a single-region cluster of three {@link Replicator}s with the KV state machine. */
    @State(Scope.Benchmark)
    public static class MeridianRegion {
        @Param({"64", "1024"})
        public int payload;

        @Param({"1", "64"})
        public int inFlight;

        @Param({"false"})
        public boolean fsync;

        byte[] bytes;
        MeridianCluster cluster;
        Replicator leader;
        Pipeline pipeline;

        @Setup(Level.Trial)
        public void start() {
            bytes = Payloads.kvPut(payload, 1);
            cluster = new MeridianCluster(1, 3, fsync);
            leader = cluster.awaitLeader("r0", STARTUP);
            pipeline = new Pipeline(inFlight);
        }

        @TearDown(Level.Trial)
        public void stop() {
            try {
                pipeline.drainAndCheck(DRAIN);
            } finally {
                cluster.close();
            }
        }
    }

    /** Baseline: three plain SOFAJRaft nodes with a no-op state machine. */
    @State(Scope.Benchmark)
    public static class RawRegion {
        @Param({"64", "1024"})
        public int payload;

        @Param({"1", "64"})
        public int inFlight;

        @Param({"false"})
        public boolean fsync;

        byte[] bytes;
        RawRaftGroup group;
        Node leader;
        Pipeline pipeline;

        @Setup(Level.Trial)
        public void start() {
            bytes = Payloads.kvPut(payload, 1);
            group = new RawRaftGroup(3, MeridianCluster.ELECTION_TIMEOUT, fsync);
            leader = group.awaitLeader(STARTUP);
            pipeline = new Pipeline(inFlight);
        }

        @TearDown(Level.Trial)
        public void stop() {
            try {
                pipeline.drainAndCheck(DRAIN);
            } finally {
                group.close();
            }
        }
    }

    @Benchmark
    public void meridianCommit(MeridianRegion s) {
        s.pipeline.acquire();
        if (s.pipeline.takeLeaderLost()) {
            s.leader = s.cluster.awaitLeader("r0", STARTUP);
        }
        s.leader.apply(s.bytes).whenComplete((position, error) -> MeridianCluster.complete(s.pipeline, error));
    }

    @Benchmark
    public void rawJraftCommit(RawRegion s) {
        s.pipeline.acquire();
        if (s.pipeline.takeLeaderLost()) {
            s.leader = s.group.awaitLeader(STARTUP);
        }
        RawRaftGroup.apply(s.leader, s.bytes, s.pipeline);
    }
}
