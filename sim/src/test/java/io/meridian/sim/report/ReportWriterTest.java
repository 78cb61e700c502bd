package io.meridian.sim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(20)
class ReportWriterTest {

    private static final Set<String> CONTRACT_KEYS = Set.of("scenario", "seed", "regions", "primary_region_final",
            "writes_attempted", "writes_acked", "throughput_ops_per_s", "lag_ms", "failover", "switchover_ms",
            "lost_acked_writes", "fenced_writes_accepted", "converged", "digests", "violations");
    private static final Set<String> EXTRA_KEYS = Set.of("duration_s", "config", "write_latency_ms", "timeline",
            "series", "linearizability", "secondary_reads", "primary_acks", "promotion_race", "nemesis",
            "lag_anatomy_us", "sweep", "apply_ratio", "machine");

    @TempDir
    Path dir;

    @Test
    void jsonHasTheContractKeysWithTheRightTypes() throws Exception {
        ReportWriter.write(failoverRun(), dir);

        JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("report.json")));

        Set<String> keys = new TreeSet<>();
        json.fieldNames().forEachRemaining(keys::add);
        Set<String> expected = new TreeSet<>(CONTRACT_KEYS);
        expected.addAll(EXTRA_KEYS);
        assertThat(keys).isEqualTo(expected);

        assertThat(json.get("scenario").isTextual()).isTrue();
        assertThat(json.get("seed").isIntegralNumber()).isTrue();
        assertThat(json.get("regions").isArray()).isTrue();
        assertThat(json.get("regions").get(1).asText()).isEqualTo("us");
        assertThat(json.get("primary_region_final").asText()).isEqualTo("us");
        assertThat(json.get("writes_attempted").isIntegralNumber()).isTrue();
        assertThat(json.get("writes_acked").asLong()).isEqualTo(11_900);
        assertThat(json.get("throughput_ops_per_s").isNumber()).isTrue();
        JsonNode lag = json.get("lag_ms").get("us");
        assertThat(fields(lag)).containsExactlyInAnyOrder("p50", "p99", "p999", "max");
        assertThat(lag.get("p99").isNumber()).isTrue();
        assertThat(fields(json.get("failover"))).containsExactlyInAnyOrder("rto_ms", "rpo_entries",
                "reported_divergent_entries");
        assertThat(json.get("failover").get("rpo_entries").isIntegralNumber()).isTrue();
        assertThat(json.get("switchover_ms").isNull()).isTrue();
        assertThat(json.get("lost_acked_writes").isIntegralNumber()).isTrue();
        assertThat(json.get("fenced_writes_accepted").isIntegralNumber()).isTrue();
        assertThat(json.get("converged").isBoolean()).isTrue();
        assertThat(json.get("digests").get("eu").asText()).isEqualTo("ab12");
        assertThat(json.get("violations").isArray()).isTrue();
        assertThat(json.get("violations").get(0).asText()).startsWith("DIVERGENT_TAIL_MISMATCH");
        assertThat(json.get("duration_s").isNumber()).isTrue();
        assertThat(fields(json.get("write_latency_ms"))).containsExactlyInAnyOrder("p50", "p90", "p99", "p999", "max");
        assertThat(json.get("write_latency_ms").get("p50").asDouble()).isBetween(1.9, 2.1);
        assertThat(fields(json.get("timeline").get(0))).containsExactlyInAnyOrder("t_ms", "event");
        assertThat(fields(json.get("series").get(0))).containsExactlyInAnyOrder("t_ms", "ops_per_s", "lag_ms");
        assertThat(json.get("series").get(0).get("lag_ms").get("us").isNumber()).isTrue();
        assertThat(json.get("config").get("nodes_per_region").asInt()).isEqualTo(3);
    }

    @Test
    void runWithoutFailoverHasNullFailoverAndNumericSwitchover() throws Exception {
        RunReport r = failoverRun().failover(null).switchoverMs(840.0).violations(List.of());

        JsonNode json = new ObjectMapper().readTree(ReportWriter.toJson(r));

        assertThat(json.has("failover")).isTrue();
        assertThat(json.get("failover").isNull()).isTrue();
        assertThat(json.get("switchover_ms").asDouble()).isEqualTo(840.0);
    }

    @Test
    void htmlIsSelfContainedWithFourCharts() throws Exception {
        ReportWriter.write(failoverRun(), dir);

        String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);

        assertThat(count(html, "<svg")).isEqualTo(4);
        assertThat(count(html, "</svg>")).isEqualTo(4);
        String withoutSvgNamespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assertThat(withoutSvgNamespace).doesNotContain("http://").doesNotContain("https://");
        assertThat(html).doesNotContain("<script").doesNotContain("<link");
        assertThat(html).contains("FAIL: 1 violation").contains("DIVERGENT_TAIL_MISMATCH")
                .contains("<polyline").contains("kill region eu");
        // Event text is escaped, not interpreted as markup.
        assertThat(html).contains("&lt;eu&gt; rejoined").doesNotContain("<eu>");
    }

    @Test
    void cleanRunShowsPassAndEmptyChartsStillRender() throws Exception {
        RunReport r = new RunReport().scenario("empty").regions(List.of("eu")).converged(true);

        String html = ReportWriter.toHtml(r);

        assertThat(html).contains("banner pass\">PASS");
        assertThat(count(html, "<svg")).isEqualTo(4);
        assertThat(count(html, "no data")).isEqualTo(3);
        assertThat(html).contains("no faults or role changes");
    }

    @Test
    void svgCoordinatesIgnoreTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            String html = ReportWriter.toHtml(failoverRun());
            Matcher m = Pattern.compile("points=\"([^\"]*)\"").matcher(html);
            assertThat(m.find()).isTrue();
            assertThat(m.group(1).trim().split(" ")).allMatch(p -> p.matches("\\d+\\.\\d,\\d+\\.\\d"));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void summaryNamesTheVerdictAndEveryViolation() {
        String summary = ReportWriter.summary(failoverRun());

        assertThat(summary).contains("failover-eu").contains("FAIL: 1 violation")
                .contains("  - DIVERGENT_TAIL_MISMATCH: acked-but-missing {9,10} != exported {9}")
                .contains("RTO 3,200 ms, RPO 2 entries").contains("11,900 acked");
        assertThat(ReportWriter.summary(failoverRun().violations(List.of()))).contains("PASS");
    }

    @Test
    void writingTwiceReplacesTheFiles() throws Exception {
        ReportWriter.write(failoverRun(), dir);
        ReportWriter.write(failoverRun().scenario("second"), dir);

        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"second\"");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.json", "report.html");
        }
    }

    @Test
    void failingLinearizabilityShowsASummaryRowAndTheViolationWindow() throws Exception {
        List<io.meridian.sim.check.linear.Op> ops = List.of(
                io.meridian.sim.check.linear.Op.write(1, "c1", "k7", "w1:", 0, 10,
                        io.meridian.sim.check.linear.Op.Outcome.OK, "us"),
                io.meridian.sim.check.linear.Op.read(2, "c2", "k7", null, 20, 30,
                        io.meridian.sim.check.linear.Op.Outcome.OK, "eu"));
        var result = io.meridian.sim.check.linear.LinearChecker.check(ops);
        RunReport r = failoverRun().linearizability(result.toJson())
                .primaryAcks(Map.of("checked", true, "single_primary_per_epoch", true, "epochs", List.of()));

        String html = ReportWriter.toHtml(r);
        JsonNode json = new ObjectMapper().readTree(ReportWriter.toJson(r));

        assertThat(json.get("linearizability").get("verdict").asText()).isEqualTo("violation");
        assertThat(json.get("linearizability").get("violations").get(0).get("window").size()).isEqualTo(2);
        assertThat(json.get("secondary_reads").isNull()).isTrue();
        assertThat(html).contains("Linearizability violations").contains("<tr class=\"f\">")
                .contains("linearizability</td><td>violation: 2 ops");
        assertThat(ReportWriter.summary(r)).contains("acks per epoch").contains("one region per epoch: yes");
    }

    static RunReport failoverRun() {
        Histogram latencyMicros = new Histogram(3);
        for (int i = 0; i < 1_000; i++) {
            latencyMicros.recordValue(2_000);
        }
        latencyMicros.recordValue(45_000);
        RunReport r = new RunReport().scenario("failover-eu").seed(42).regions(List.of("eu", "us"))
                .primaryRegionFinal("us").writes(12_345, 11_900).throughputOpsPerSecond(3_987.5)
                .lag("us", new RunReport.Lag(12.5, 40, 80, 120))
                .failover(new RunReport.Failover(3_200, 2, 1)).switchoverMs(null)
                .lostAckedWrites(2).fencedWritesAccepted(0).converged(true)
                .digests(Map.of("eu", "ab12")).violations(List.of(
                        "DIVERGENT_TAIL_MISMATCH: acked-but-missing {9,10} != exported {9}"))
                .durationSeconds(30).config(new RunReport.Config(3, 4_000, 256, 40, 5, 0.001))
                .writeLatencyMs(RunReport.Latency.of(latencyMicros, 1_000))
                .event(0, "start").event(10_000, "kill region eu").event(13_200, "us promoted (epoch 2)")
                .event(20_000, "<eu> rejoined");
        List<Long> times = new ArrayList<>();
        for (long t = 0; t <= 30_000; t += 1_000) {
            times.add(t);
        }
        for (long t : times) {
            r.sample(t, t < 10_000 || t > 13_000 ? 4_000 : 0, Map.of("us", t < 10_000 ? 15.0 + t / 1000.0 : 0.0));
        }
        return r;
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
