package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fencing is the default for node processes: a two-region config that never mentions the lease runs
 * with the 1.5 s lease, and two data regions without a witness are refused before anything starts.
 */
@Timeout(180)
class DefaultFencingTest {

    @TempDir
    Path dir;

    private ProcessCluster cluster;

    @AfterEach
    void teardown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Drops every line that mentions the lease: what is left relies on the defaults. */
    private static String withoutLease(String yaml) {
        return yaml.lines().filter(l -> !l.toLowerCase(java.util.Locale.ROOT).contains("lease"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void twoRegionConfigThatNeverMentionsTheLeaseRunsFenced() throws Exception {
        Path run = dir.resolve("run");
        cluster = ProcessCluster.up(run, 1, 1500, DefaultFencingTest::withoutLease);
        for (String id : cluster.dataNodes()) {
            assertThat(Files.readString(run.resolve(id + ".yaml")).toLowerCase(java.util.Locale.ROOT))
                    .doesNotContain("lease").doesNotContain("unsafe");
            assertThat(cluster.status(id).path("fencing").asText()).as(id).isEqualTo("lease 1500ms");
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode primary = cluster.status("r0-1");
            assertThat(primary.path("role").asText()).isEqualTo("LEADER");
            assertThat(primary.path("region_role").asText()).isEqualTo("PRIMARY");
            assertThat(primary.path("lease_held").asBoolean()).isTrue();
        });
        assertThat(cluster.status("r1-1").path("lease_held").asBoolean()).as("a secondary holds no lease").isFalse();
    }

    @Test
    void twoDataRegionsWithoutAWitnessAreRefusedWithExitCode2() throws Exception {
        LocalCluster generated = new LocalCluster(dir, new PrintWriter(new StringWriter(), true));
        generated.generateIfMissing(new LocalCluster.Layout(2, 1, 0, 1500, "64m", false));
        Path config = dir.resolve("r0-1.yaml");
        String yaml = withoutLease(Files.readString(config, StandardCharsets.UTF_8)).lines()
                .filter(l -> !l.startsWith("witnessEndpoint:") && !l.trim().startsWith(io.meridian.Witness.NAME + ":"))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        assertThat(yaml).doesNotContain("witness");

        // A real process, as an operator runs it: the exit code is what scripts and supervisors see.
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx64m");
        command.addAll(LocalCluster.inheritedJvmFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MeridianCli.class.getName());
        command.add("node");
        command.add("--config");
        command.add(config.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith(EnvOverrides.PREFIX));
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the refused node exits").isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println("refused node said: " + output.strip());
            assertThat(p.exitValue()).as(output).isEqualTo(MeridianCli.USAGE);
            assertThat(output).contains("two data regions need a witness").contains(config.toString());
        } finally {
            p.destroyForcibly();
        }
    }
}
