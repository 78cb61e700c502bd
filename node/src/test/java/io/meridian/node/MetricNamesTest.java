package io.meridian.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric an alerting rule or a dashboard panel reads is really exported: a rule on a misspelt
 * name never fires and nothing says so. Starts two regions of one node plus the witness as node
 * processes ({@code meridian up}), writes through the primary so that the lazily registered series
 * (shipping per remote, inbound lag per origin, vouch ages, GC pauses) exist, then scrapes every
 * process's {@code /metrics} with the admin token.
 */
class MetricNamesTest {

    /** Series Prometheus makes itself for every target. */
    private static final Set<String> FROM_PROMETHEUS = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

    @TempDir
    Path dir;

    private ProcessCluster cluster;

    @AfterEach
    void teardown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Timeout(5)
    void namesAreFoundInPromQl() {
        assertThat(PromQlNames.of("max by (region, remote) (meridian_remote_lag_ms{quantile=\"0.99\"}) > 5000"))
                .containsExactly("meridian_remote_lag_ms");
        assertThat(PromQlNames.of("(a_total > 0) and on (node, remote) (delta(b_index[5m]) == 0) # c_comment"))
                .containsExactly("a_total", "b_index");
        assertThat(PromQlNames.of("histogram_quantile(0.99, sum by (le) (rate(x_bucket{n=~\"$node\"}[$__rate_interval])))"))
                .containsExactly("x_bucket");
        assertThat(PromQlNames.of("disk_free_bytes / disk_total_bytes < 0.10 * 5e9 + 1024"))
                .containsExactly("disk_free_bytes", "disk_total_bytes");
        assertThat(PromQlNames.of("changes(max(meridian_epoch)[2m:15s]) > 0")).containsExactly("meridian_epoch");
    }

    @Test
    @Timeout(240)
    void everyMetricTheRulesAndTheDashboardUseIsExported() throws Exception {
        Path root = AlertRulesTest.repoRoot();
        Map<String, Set<String>> usedBy = new LinkedHashMap<>();
        for (String expr : PromQlNames.ruleExpressions(root.resolve("deploy/prometheus/meridian-rules.yml"))) {
            PromQlNames.of(expr).forEach(n -> usedBy.computeIfAbsent(n, k -> new TreeSet<>()).add("rules"));
        }
        for (String expr : PromQlNames.dashboardExpressions(root.resolve("deploy/grafana/meridian.json"))) {
            PromQlNames.of(expr).forEach(n -> usedBy.computeIfAbsent(n, k -> new TreeSet<>()).add("dashboard"));
        }
        usedBy.keySet().removeAll(FROM_PROMETHEUS);
        assertThat(usedBy).hasSizeGreaterThan(30);

        cluster = ProcessCluster.up(dir.resolve("run"), 1, 1500, UnaryOperator.identity());
        AdminClient http = cluster.client(Duration.ofSeconds(10));
        String primary = ProcessCluster.awaitNode("primary leader with its lease", () -> cluster.leaderOf("r0"));
        for (int i = 0; i < 20; i++) {
            cluster.putUntilOk(http, primary, "k" + i, "v" + i);
        }
        long last = cluster.status(primary).path("last_index").asLong();
        await("r1 applies what r0 wrote").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.status("r1-1").path("applied_index").asLong() >= last);
        // The GC pause timer is registered at the first collection; do not wait for one to happen.
        for (String id : List.of("r0-1", "r1-1")) {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(cluster.pid(id)), "GC.run").redirectErrorStream(true).start();
            jcmd.getInputStream().readAllBytes();
            assertThat(jcmd.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        Set<String> exported = new TreeSet<>();
        await("every metric used is exported").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    for (String id : List.of("r0-1", "r1-1", io.meridian.Witness.NAME)) {
                        AdminClient.Reply r = http.get(cluster.admin(id), "/metrics");
                        assertThat(r.status()).as("/metrics of %s", id).isEqualTo(200);
                        exported.addAll(sampleNames(r.text()));
                    }
                    Map<String, Set<String>> missing = new LinkedHashMap<>(usedBy);
                    missing.keySet().removeAll(exported);
                    assertThat(missing).as("used but not exported (name -> where used)").isEmpty();
                });
        System.out.printf("%d metric names used by rules and dashboard, all exported (%d exported)%n",
                usedBy.size(), exported.size());
    }

    /** Sample names of a text exposition: {@code name{labels} value} or {@code name value}, comments skipped. */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
