package io.meridian.sim;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad arguments exit with 2 and a message naming the option, before any node starts. */
@Timeout(30)
class SimMainTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--regions|1|--regions",
        "--nodes-per-region|0|--nodes-per-region",
        "--duration|abc|--duration",
        "--duration|500ms|--duration",
        "--wan-delay|20|--wan-delay",
        "--rate|-5|--rate",
        "--loss|1.5|--loss",
        "--payload|4|--payload",
        "--read-ratio|1|--read-ratio",
        "--scenario|nope|--scenario",
        "--file|/no/such/scenario.txt|--file",
        "--bogus|1|--bogus",
    })
    void badArgumentExitsWithTwoNamingTheOption(String option, String value, String named) {
        Result r = run(option, value);
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains(named);
    }

    @org.junit.jupiter.api.Test
    void scenarioAndFileAreMutuallyExclusive() throws Exception {
        Path f = Files.writeString(dir.resolve("s.txt"), "at 1s heal\n");
        Result r = run("--scenario", "steady", "--file", f.toString());
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("--scenario and --file");
    }

    @org.junit.jupiter.api.Test
    void scenarioNeedingMoreRegionsIsRefused() {
        Result r = run("--scenario", "dueling-promotions", "--regions", "2");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("--scenario dueling-promotions needs --regions 3");
    }

    @org.junit.jupiter.api.Test
    void badScenarioFileLineIsReportedWithItsNumber() throws Exception {
        Path f = Files.writeString(dir.resolve("s.txt"), "# ok\nat 1s heal\nat 2s explode r0\n");
        Result r = run("--file", f.toString());
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("--file", "line 3", "unknown action 'explode'");
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SimMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(exit, err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int exit, String err) { }
}
