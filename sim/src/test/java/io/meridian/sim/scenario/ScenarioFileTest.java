package io.meridian.sim.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ScenarioFileTest {

    @Test
    void parsesEveryActionSkippingCommentsAndBlankLines() {
        ScriptedScenario s = ScenarioFile.parse("mine", List.of(
                "# my scenario",
                "",
                "at 5s crash leader r0",
                "at 8s restart r0   # the whole region's crashed nodes",
                "at 9s crash r1-2",
                "at 10s isolate r1",
                "at 15s heal",
                "at 18s switchover r1",
                "at 20500ms promote r2 allow-data-loss",
                "at 1m promote r0"));
        assertThat(s.name()).isEqualTo("mine");
        assertThat(s.steps()).containsExactly(
                new ScriptedScenario.Step(Duration.ofSeconds(5), ScriptedScenario.Action.CRASH_LEADER, "r0", false),
                new ScriptedScenario.Step(Duration.ofSeconds(8), ScriptedScenario.Action.RESTART, "r0", false),
                new ScriptedScenario.Step(Duration.ofSeconds(9), ScriptedScenario.Action.CRASH, "r1-2", false),
                new ScriptedScenario.Step(Duration.ofSeconds(10), ScriptedScenario.Action.ISOLATE, "r1", false),
                new ScriptedScenario.Step(Duration.ofSeconds(15), ScriptedScenario.Action.HEAL, null, false),
                new ScriptedScenario.Step(Duration.ofSeconds(18), ScriptedScenario.Action.SWITCHOVER, "r1", false),
                new ScriptedScenario.Step(Duration.ofMillis(20500), ScriptedScenario.Action.PROMOTE, "r2", true),
                new ScriptedScenario.Step(Duration.ofMinutes(1), ScriptedScenario.Action.PROMOTE, "r0", false));
    }

    @Test
    void stepsRunInTimeOrderWhateverTheLineOrder() {
        ScriptedScenario s = ScenarioFile.parse("x", List.of("at 9s heal", "at 2s isolate r1"));
        assertThat(s.steps()).extracting(ScriptedScenario.Step::at)
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(9));
    }

    @Test
    void unknownActionNamesTheLine() {
        assertThatThrownBy(() -> ScenarioFile.parse("x", List.of("# c", "at 1s heal", "at 2s explode r0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("line 3: unknown action 'explode'")
                .hasMessageContaining("at 2s explode r0");
    }

    @Test
    void badTimeNamesTheLine() {
        assertThatThrownBy(() -> ScenarioFile.parse("x", List.of("at soon heal")))
                .hasMessageStartingWith("line 1: 'soon' is not a duration");
    }

    @Test
    void missingOrExtraArgumentsNameTheUsage() {
        assertThatThrownBy(() -> ScenarioFile.parse("x", List.of("at 1s isolate")))
                .hasMessageContaining("line 1: 'isolate' takes 1 argument(s); usage: isolate <region>");
        assertThatThrownBy(() -> ScenarioFile.parse("x", List.of("at 1s heal r1")))
                .hasMessageContaining("line 1: 'heal' takes 0 argument(s)");
        assertThatThrownBy(() -> ScenarioFile.parse("x", List.of("at 1s promote r1 please")))
                .hasMessageContaining("line 1: usage: promote <region> [allow-data-loss]");
    }

    @Test
    void lineWithoutAtIsRejected() {
        assertThatThrownBy(() -> ScenarioFile.parse("x", List.of("crash leader r0")))
                .hasMessageStartingWith("line 1: expected 'at <time> <action> ...'");
    }

    @Test
    void emptyFileIsRejected() {
        assertThatThrownBy(() -> ScenarioFile.parse("empty", List.of("# nothing", "")))
                .hasMessageContaining("has no steps");
    }
}
