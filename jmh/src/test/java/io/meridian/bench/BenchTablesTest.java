package io.meridian.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BenchTablesTest {

    private static final String RESULTS = """
            [
              {"benchmark": "io.meridian.bench.WalBenchmark.rawAppend", "mode": "thrpt", "jvm": "java",
               "jdkVersion": "17", "vmName": "OpenJDK", "vmVersion": "17", "jmhVersion": "1.37", "forks": 1,
               "warmupIterations": 2, "warmupTime": "3 s", "measurementIterations": 3, "measurementTime": "3 s",
               "params": {"payload": "64"},
               "primaryMetric": {"score": 2000000.0, "scoreError": 1000.0, "scoreUnit": "ops/s"}},
              {"benchmark": "io.meridian.bench.WalBenchmark.meridianAppend", "mode": "thrpt",
               "params": {"payload": "64"},
               "primaryMetric": {"score": 1000000.0, "scoreError": "NaN", "scoreUnit": "ops/s"}},
              {"benchmark": "io.meridian.bench.WalBenchmark.rawAppendToTail", "mode": "sample",
               "params": {"payload": "64"},
               "primaryMetric": {"score": 1.0, "scoreError": 0.1, "scoreUnit": "us/op",
                 "scorePercentiles": {"50.0": 1.0, "99.0": 2.0, "99.9": 8.0}}},
              {"benchmark": "io.meridian.bench.WalBenchmark.meridianAppendToTail", "mode": "sample",
               "params": {"payload": "64"},
               "primaryMetric": {"score": 3.0, "scoreError": 0.1, "scoreUnit": "us/op",
                 "scorePercentiles": {"50.0": 3.0, "99.0": 5.0, "99.9": 20.0}}},
              {"benchmark": "io.meridian.bench.TransportBenchmark.rawOffer", "mode": "thrpt",
               "params": {"payload": "64"},
               "primaryMetric": {"score": 4000000.0, "scoreError": 1.0, "scoreUnit": "ops/s"}},
              {"benchmark": "io.meridian.bench.TransportBenchmark.meridianShip", "mode": "thrpt",
               "params": {"compress": "true", "payload": "64"},
               "primaryMetric": {"score": 1000000.0, "scoreError": 1.0, "scoreUnit": "ops/s"}},
              {"benchmark": "io.meridian.bench.EndToEndBenchmark.replicate", "mode": "thrpt",
               "params": {"payload": "64"},
               "primaryMetric": {"score": 5000.0, "scoreError": 1.0, "scoreUnit": "ops/s"},
               "secondaryMetrics": {
                 "primaryCommitted": {"score": 5000.0, "scoreError": 1.0, "scoreUnit": "ops/s"},
                 "remoteApplied": {"score": 4900.0, "scoreError": 1.0, "scoreUnit": "ops/s"}}}
            ]
            """;

    @Test
    void writesTablesBetweenMarkersAndKeepsProse(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("result.json");
        Files.writeString(json, RESULTS);
        String document = "# Benchmarks\n\nHand-written intro.\n\n<!-- BEGIN:wal-append -->\nold table\n"
                + "<!-- END:wal-append -->\n\nHand-written conclusion.\n";

        String updated = BenchTables.update(document, json, "bin/bench short");

        assertThat(updated).contains("Hand-written intro.", "Hand-written conclusion.").doesNotContain("old table");
        assertThat(updated).contains("| 64 | 2,000,000 ± 1,000 | 1,000,000 | 0.50 |");
        assertThat(updated).contains("| 64 | 1.00 / 2.00 / 8.00 | 3.00 / 5.00 / 20.0 | 3.00 | 2.50 |");
        assertThat(updated).contains("| true | 64 | 4,000,000 ± 1.00 | 1,000,000 ± 1.00 | 0.25 |");
        assertThat(updated).contains("| 64 | 5,000 ± 1.00 | 4,900 ± 1.00 | 0.98 |");
        assertThat(updated).contains("- Command: `bin/bench short`", "- Cores (nproc): ");
        assertThat(updated).contains("<!-- BEGIN:region-commit -->", "_No result for this benchmark in the last run._");
        assertThat(updated.indexOf("Hand-written conclusion.")).isLessThan(updated.indexOf("<!-- BEGIN:run -->"));
    }

    @Test
    void aTableThisRunDidNotMeasureKeepsWhatAnEarlierRunWrote(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("result.json");
        Files.writeString(json, RESULTS);
        String document = "<!-- BEGIN:region-commit -->\nearlier long run\n<!-- END:region-commit -->\n"
                + "<!-- BEGIN:wal-append -->\nolder short run\n<!-- END:wal-append -->\n";

        String updated = BenchTables.update(document, json, "bin/bench short WalBenchmark");

        assertThat(updated).contains("earlier long run").doesNotContain("older short run")
                .contains("_From `bin/bench short WalBenchmark`, ");
    }

    @Test
    void regeneratingIsStable(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("result.json");
        Files.writeString(json, RESULTS);
        String once = BenchTables.update("# Benchmarks\n", json, "cmd");

        assertThat(BenchTables.update(once, json, "cmd")).isEqualTo(once);
    }

    @Test
    void unterminatedBlockIsAnError() {
        assertThatThrownBy(() -> MarkdownBlocks.replace("<!-- BEGIN:x -->\n", "x", "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("END:x");
    }
}
