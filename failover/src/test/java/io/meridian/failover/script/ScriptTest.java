package io.meridian.failover.script;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs every {@code scripts/*.txt} against a fresh {@link io.meridian.failover.RoleMachine}. */
@Timeout(10)
class ScriptTest {

    /** A base just below the wrap point, so script times cross from Long.MAX_VALUE to negative values. */
    private static final long WRAPPING_BASE = Long.MAX_VALUE - 1_000_000_000L;

    static Stream<Arguments> scripts() throws IOException, URISyntaxException {
        final List<Path> files;
        try (Stream<Path> list = Files.list(scriptDir())) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(7);
        return files.stream().flatMap(f -> Stream.of(
                Arguments.of(f.getFileName().toString(), 0L),
                Arguments.of(f.getFileName().toString(), WRAPPING_BASE)));
    }

    @ParameterizedTest(name = "{0} clockBase={1}")
    @MethodSource("scripts")
    void script(String file, long clockBase) throws IOException, URISyntaxException {
        final List<String> lines = Files.readAllLines(scriptDir().resolve(file), StandardCharsets.UTF_8);
        new ScriptRunner(file, clockBase).run(lines);
    }

    @Test
    void unknownCommandFailsWithLineNumber() {
        assertThatThrownBy(() -> new ScriptRunner("bad.txt", 0).run(List.of(
                "config region=eu regions=eu,us lease=1500ms",
                "# comment",
                "frobnicate at=1ms")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("bad.txt:3")
                .hasMessageContaining("unknown command 'frobnicate'");
    }

    @Test
    void unconsumedActionsFailTheScript() {
        assertThatThrownBy(() -> new ScriptRunner("left.txt", 0).run(List.of(
                "config region=eu regions=eu,us lease=1500ms",
                "leader true at=0ms")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("unexpected actions")
                .hasMessageContaining("SendPings");
    }

    @Test
    void failedExpectationNamesLineAndActual() {
        assertThatThrownBy(() -> new ScriptRunner("fail.txt", 0).run(List.of(
                "config region=eu regions=eu,us lease=1500ms",
                "expect admission ADMIT")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("fail.txt:2")
                .hasMessageContaining("NOT_LEADER");
    }

    @Test
    void unknownArgumentFailsTheLine() {
        assertThatThrownBy(() -> new ScriptRunner("arg.txt", 0).run(List.of(
                "config region=eu regions=eu,us lease=1500ms",
                "tick at=1ms colour=blue")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("arg.txt:2")
                .hasMessageContaining("colour");
    }

    private static Path scriptDir() throws URISyntaxException {
        return Path.of(ScriptTest.class.getResource("/scripts").toURI());
    }
}
