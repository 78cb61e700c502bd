package io.meridian.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.sim.SimMain;
import io.meridian.sim.report.ReportWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nemesis: its schedule is a function of the seed and the run's shape only, and a short in-JVM
 * run under it (a one-node WAN cut, then a switchover, for seed 4) passes every check. The process
 * variant ({@code bin/sim --processes}) takes minutes on two shared cores, so it is run by hand.
 */
class NemesisTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Timeout(10)
    void theSameSeedDrawsTheSameSchedule() {
        List<NemesisPlan.Step> a = NemesisPlan.draw(3, 60_000, 2, 3, true);
        assertThat(NemesisPlan.draw(3, 60_000, 2, 3, true)).isEqualTo(a);
        assertThat(NemesisPlan.draw(4, 60_000, 2, 3, true)).isNotEqualTo(a);
        assertThat(a).isNotEmpty().allSatisfy(s -> assertThat(s.atMs() + s.durationMs()).isLessThan(51_000));
        for (long seed = 1; seed <= 50; seed++) {
            List<NemesisPlan.Step> steps = NemesisPlan.draw(seed, 60_000, 3, 3, false);
            // One fault at a time: each starts after the previous one's nominal end.
            for (int i = 1; i < steps.size(); i++) {
                assertThat(steps.get(i).atMs()).isGreaterThan(steps.get(i - 1).atMs() + steps.get(i - 1).durationMs());
            }
            assertThat(steps).allSatisfy(s -> assertThat(s.durationMs()).isLessThan(7_000));
        }
    }

    @Test
    @Timeout(120)
    void inJvmNemesisRunPassesEveryCheckAndRecordsItsSchedule() throws Exception {
        Path reportDir = dir.resolve("nemesis");
        int exit = SimMain.run(System.out, System.err, "--scenario", "nemesis", "--seed", "4", "--regions", "2",
                "--nodes-per-region", "3", "--rate", "300", "--wan-delay", "5ms", "--jitter", "1ms", "--quiet",
                "--duration", "20s", "--report", reportDir.toString());
        JsonNode report = JSON.readTree(reportDir.resolve(ReportWriter.JSON_FILE).toFile());

        assertThat(report.get("violations")).as("violations").isEmpty();
        assertThat(report.get("linearizability").get("verdict").asText()).isEqualTo("ok");
        assertThat(report.get("converged").asBoolean()).isTrue();
        JsonNode nemesis = report.get("nemesis");
        assertThat(nemesis.get("seed").asLong()).isEqualTo(4);
        assertThat(nemesis.get("schedule").toString()).isEqualTo(JSON.writeValueAsString(
                NemesisPlan.draw(4, 20_000, 2, 3, false).stream().map(NemesisPlan.Step::toJson).toList()));
        assertThat(nemesis.get("injected").asInt()).as("faults injected").isPositive();
        assertThat(exit).isZero();
    }
}
