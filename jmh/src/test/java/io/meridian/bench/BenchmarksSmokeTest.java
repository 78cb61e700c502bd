package io.meridian.bench;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs every benchmark once, very briefly, in this JVM (forks(0): surefire's JVM already has the
 * flags Chronicle and Aeron need), so a benchmark that no longer starts or measures nothing fails
 * the build instead of the next benchmark run. The end-to-end benchmarks are skipped, visibly, while the
 * replicator on the class path cannot start a multi-region node. Only the smaller payload and the deeper pipeline are
 * run, to keep the whole test to a couple of minutes; the numbers themselves mean nothing here.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BenchmarksSmokeTest {

    private static final List<String> SINGLE_REGION_BENCHMARKS = List.of(
            "WalBenchmark.meridianAppend", "WalBenchmark.rawAppend",
            "WalBenchmark.meridianAppendToTail", "WalBenchmark.rawAppendToTail",
            "TransportBenchmark.meridianShip", "TransportBenchmark.rawOffer",
            "RegionCommitBenchmark.meridianCommit", "RegionCommitBenchmark.rawJraftCommit");
    private static final List<String> END_TO_END_BENCHMARKS = List.of(
            "EndToEndBenchmark.replicate", "EndToEndBenchmark.primaryCommitLatency",
            "EndToEndBenchmark.remoteApplyLatency");

    @Test
    void singleRegionBenchmarksRunAndMeasureSomething() throws RunnerException {
        Collection<RunResult> results = run("io\\.meridian\\.bench\\.(Wal|Transport|RegionCommit)Benchmark\\..*");

        assertThat(results).extracting(BenchmarksSmokeTest::simpleName)
                .containsExactlyInAnyOrderElementsOf(SINGLE_REGION_BENCHMARKS);
        assertScoresPositive(results);
    }

    @Test
    void endToEndBenchmarksRunAndMeasureSomething(@TempDir Path dir) throws RunnerException {
        assumeTrue(MultiRegionProbe.supported(dir), "this build of meridian-replicator cannot start multi-region nodes yet");

        Collection<RunResult> results = run("io\\.meridian\\.bench\\.EndToEndBenchmark\\..*");

        assertThat(results).extracting(BenchmarksSmokeTest::simpleName)
                .containsExactlyInAnyOrderElementsOf(END_TO_END_BENCHMARKS);
        assertScoresPositive(results);
        RunResult replicate = results.stream().filter(r -> simpleName(r).equals("EndToEndBenchmark.replicate"))
                .findFirst().orElseThrow();
        // remoteApplied may legitimately be ~0 in one cold 200 ms iteration; remoteApplyLatency above
        // already proves entries reach the remote region.
        assertThat(replicate.getSecondaryResults()).containsKeys("primaryCommitted", "remoteApplied");
        assertThat(replicate.getSecondaryResults().get("primaryCommitted").getScore()).isPositive();
    }

    private static Collection<RunResult> run(String include) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(include)
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .timeout(TimeValue.seconds(60))
                .param("payload", "64")
                .param("inFlight", "64")
                .param("compress", "true")
                .shouldFailOnError(true)
                .build();
        return new Runner(options).run();
    }

    private static void assertScoresPositive(Collection<RunResult> results) {
        for (RunResult result : results) {
            assertThat(result.getPrimaryResult().getScore()).as("score of %s", simpleName(result)).isPositive();
        }
    }

    private static String simpleName(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        int method = benchmark.lastIndexOf('.');
        return benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1);
    }
}
