package io.meridian.sim.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdicts in docs/benchmarks.md come from result files: a figure past its bound must read "missed". */
@Timeout(10)
class LagTargetsTest {

    @TempDir
    Path dir;

    private void run(String name, double p99, double p999, double throughput, String cpu) throws IOException {
        Files.writeString(dir.resolve(name + ".json"), """
                {"lag_ms": {"r1": {"p50": 31, "p99": %s, "p999": %s, "max": 90}},
                 "throughput_ops_per_s": %s, "apply_ratio": {"r1": 0.97},
                 "lag_anatomy_us": {"r1": {"network": {"p50": 30500, "p99": 33000}}},
                 "machine": {"load_avg_1m_start": 1.0, "load_avg_1m_end": 2.0, "cpu_cores_by_thread": %s}}
                """.formatted(p99, p999, throughput, cpu));
    }

    @Test
    void figuresWithinTheirBoundsAreMetAndOthersMissed() throws IOException {
        run("wan30-1000", 34, 46, 1000, "{\"total\": 1.9, \"JRaft-FSMCaller-Disruptor-N\": 0.2}");
        run("closed-fsync", 50, 60, 5_300, "{}");

        String table = LagTargets.table(dir);

        assertThat(table).contains("| 30 ms WAN, 1,000 ops/s, 30 s: lag p99 | ≤ 35 | 34 | met |");
        assertThat(table).contains("| 30 ms WAN, 1,000 ops/s, 30 s: lag p99.9 | ≤ 45 | 46 | **missed** |");
        assertThat(table).contains("acked writes/s | ≥ 12,000 | 5,300 | **missed** |");
        assertThat(table).contains("remote apply / primary | ≥ 0.95 | 0.97 | met |");
        assertThat(table).contains("| 30 ms WAN, 5,000 ops/s, 30 s: lag p99 | ≤ 40 | - | not measured |");
        assertThat(table).contains("| wan30-1000 | 1.90 | `JRaft-FSMCaller-Disruptor-N` 0.20 |");
    }

    @Test
    void repeatedRunsAreJudgedByTheirMedianNeverByTheBestRun() throws IOException {
        run("wan0-1000", 4, 12, 1000, "{}");
        run("wan0-1000-2", 9, 30, 1000, "{}");
        run("wan0-1000-3", 6, 14, 1000, "{}");

        String table = LagTargets.table(dir);

        assertThat(table).contains("| no WAN delay, 1,000 ops/s, 30 s: lag p99 | ≤ 5.00 | 6.00 (4.00, 9.00, 6.00) | **missed** |"
                + " `" + dir.resolve("wan0-1000.json") + "` and 2 repeats |");
        assertThat(table).contains("| no WAN delay, 1,000 ops/s, 30 s: lag p99.9 | ≤ 15 | 14 (12, 30, 14) | met |");
        assertThat(LagTargets.median(java.util.List.of(4.0, 9.0), false)).isEqualTo(9.0);
        assertThat(LagTargets.median(java.util.List.of(4.0, 9.0), true)).isEqualTo(4.0);
    }

    @Test
    void theCeilingComparesTheClosedLoopTargetWithRawJraftAtTheSameDepth() throws IOException {
        Files.writeString(dir.resolve(LagTargets.CEILING_FILE), """
                [{"benchmark": "io.meridian.bench.RegionCommitBenchmark.meridianCommit",
                  "params": {"fsync": "true", "inFlight": "8", "payload": "64"}, "primaryMetric": {"score": 7000}},
                 {"benchmark": "io.meridian.bench.RegionCommitBenchmark.rawJraftCommit",
                  "params": {"fsync": "true", "inFlight": "8", "payload": "64"}, "primaryMetric": {"score": 8000}}]
                """);

        String table = LagTargets.table(dir);

        assertThat(table).contains("raw SOFAJRaft 8,000 commits/s, Meridian 7,000 (0.88 × raw)")
                .contains("1.50 × raw JRaft's own rate at that depth: above what the library itself commits");
    }
}
