package io.meridian.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code deploy/prometheus/test-rules.sh} (promtool check + unit tests of every alerting rule) as
 * part of {@code mvn verify}. The script installs promtool with apt when it is missing, so the first
 * run on a machine may take minutes. Deliberately no skip: a machine that cannot get promtool fails
 * here with the script's message (install the {@code prometheus} package or set {@code PROMTOOL}),
 * rather than let unchecked rules through. The Grafana dashboard's queries are checked with the same
 * promtool.
 */
class AlertRulesTest {

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void promtoolChecksAndUnitTestsTheRules() throws Exception {
        Path script = repoRoot().resolve("deploy/prometheus/test-rules.sh");
        Path out = Files.createTempFile("test-rules", ".log");
        try {
            Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            boolean done = p.waitFor(14, TimeUnit.MINUTES);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String log = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println(log);
            assertThat(done).as("test-rules.sh did not finish in 14 minutes:\n%s", log).isTrue();
            assertThat(p.exitValue()).as("test-rules.sh failed:\n%s", log).isZero();
            assertThat(log).contains("SUCCESS");
            checkDashboardExpressions();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * The dashboard's queries must parse too: promtool checks them as recording rules (Grafana's
     * variables replaced), so a typo in a panel fails the build like one in a rule.
     */
    private static void checkDashboardExpressions() throws Exception {
        List<Map<String, String>> rules = new ArrayList<>();
        List<String> exprs = PromQlNames.dashboardExpressions(repoRoot().resolve("deploy/grafana/meridian.json"));
        assertThat(exprs).isNotEmpty();
        for (int i = 0; i < exprs.size(); i++) {
            rules.add(Map.of("record", "dashboard:expr_" + i, "expr", PromQlNames.withoutGrafanaVariables(exprs.get(i))));
        }
        Path file = Files.createTempFile("dashboard-rules", ".yml");
        try {
            new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(),
                    Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules))));
            String promtool = System.getenv().getOrDefault("PROMTOOL", "promtool");
            Process p = new ProcessBuilder(promtool, "check", "rules", file.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("promtool on the dashboard's expressions:%n%s", log).isZero();
            assertThat(log).contains("SUCCESS: " + exprs.size() + " rules found");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The checkout's root: surefire runs in the module directory, but walk up rather than assume it. */
    static Path repoRoot() throws IOException {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("deploy")) && Files.isRegularFile(d.resolve("pom.xml"))
                    && Files.isDirectory(d.resolve("node"))) {
                return d;
            }
        }
        throw new IOException("no checkout root (with deploy/ and node/) above " + Path.of("").toAbsolutePath());
    }
}
