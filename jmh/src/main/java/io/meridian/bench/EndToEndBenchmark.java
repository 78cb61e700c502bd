package io.meridian.bench;

import io.meridian.Position;
import io.meridian.Replicator;
import io.meridian.kv.KvStateMachine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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
 * Two regions of three nodes each, all in this JVM: r0 is primary and ships over Aeron UDP loopback
 * to r1.
 *
 * <ul>
 *   <li>{@code replicate}: writes at the primary with {@value #IN_FLIGHT} in flight; the secondary
 *       results compare the rate entries are applied in the remote region ({@code remoteApplied})
 *       with the primary's commit rate in the same iterations ({@code primaryCommitted}).</li>
 *   <li>{@code primaryCommitLatency} / {@code remoteApplyLatency}: one write at a time, timed until
 *       committed in the primary, and until applied by the remote region's leader.</li>
 * </ul>
 */
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class EndToEndBenchmark {

    static final int IN_FLIGHT = 64;
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(30);

    /** Both regions, their leaders, and the remote leader's KV state (whose apply count we read). */
    @State(Scope.Benchmark)
    public static class TwoRegions {
        @Param({"64", "1024"})
        public int payload;

        byte[] bytes;
        MeridianCluster cluster;
        Replicator primary;
        Replicator remote;
        KvStateMachine remoteKv;
        Pipeline pipeline;

        @Setup(Level.Trial)
        public void start() {
            bytes = Payloads.kvPut(payload, 1);
            cluster = new MeridianCluster(2, 3, false);
            primary = cluster.awaitLeader("r0", STARTUP);
            remote = cluster.awaitLeader("r1", STARTUP);
            remoteKv = cluster.kv(remote);
            pipeline = new Pipeline(IN_FLIGHT);
            // Fail here, clearly, if shipping does not work at all, rather than report a rate of zero.
            Position first = write(); // retries while leadership settles and the lease is established
            try {
                remote.awaitApplied(first, STARTUP).join();
            } catch (RuntimeException e) {
                throw new IllegalStateException("entry " + first + " written in r0 never reached r1: "
                        + "cross-region shipping is not working", e);
            }
        }

        /** One write at the primary, following leadership if it moves (the time that takes is part of the sample). */
        Position write() {
            while (true) {
                try {
                    return primary.apply(bytes).join();
                } catch (RuntimeException e) {
                    if (!MeridianCluster.isNotLeader(e)) {
                        throw e;
                    }
                    primary = cluster.awaitLeader("r0", STARTUP);
                }
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            try {
                pipeline.drainAndCheck(REMOTE_TIMEOUT);
            } finally {
                cluster.close();
            }
        }
    }

    /** Per-iteration rates, each divided by the iteration's time by JMH. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates {
        public long primaryCommitted;
        public long remoteApplied;

        long committedAtStart;
        long appliedAtStart;

        @Setup(Level.Iteration)
        public void reset(TwoRegions s) {
            committedAtStart = s.pipeline.completed();
            appliedAtStart = s.remoteKv.applyCount();
            primaryCommitted = 0;
            remoteApplied = 0;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void replicate(TwoRegions s, Rates rates) {
        s.pipeline.acquire();
        if (s.pipeline.takeLeaderLost()) {
            s.primary = s.cluster.awaitLeader("r0", STARTUP);
        }
        s.primary.apply(s.bytes).whenComplete((position, error) -> MeridianCluster.complete(s.pipeline, error));
        rates.primaryCommitted = s.pipeline.completed() - rates.committedAtStart;
        rates.remoteApplied = s.remoteKv.applyCount() - rates.appliedAtStart;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Position primaryCommitLatency(TwoRegions s) {
        return s.write();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Position remoteApplyLatency(TwoRegions s) {
        Position position = s.write();
        // the remote region's leader may move too; any of its nodes applies every entry
        s.remote.awaitApplied(position, REMOTE_TIMEOUT).join();
        return position;
    }
}
