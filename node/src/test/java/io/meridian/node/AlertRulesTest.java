package io.meridian.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code deploy/prometheus/test-rules.sh} (promtool check + unit tests of every alerting rule) as
 * part of {@code mvn verify}. The script installs promtool with apt when it is missing, so the first
 * run on a machine may take minutes. Deliberately no skip: a machine that cannot get promtool fails
 * here with the script's message (install the {@code prometheus} package or set {@code PROMTOOL}),
 * rather than let unchecked rules through.
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
        } finally {
            Files.deleteIfExists(out);
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
