package io.meridian.sim.scenario;

import io.meridian.sim.run.Durations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses the scenario file format (see docs/simulator.md): one step per line,
 * {@code at <time> <action> [args]}, {@code #} starts a comment. Actions:
 * {@code crash leader <region>}, {@code crash <node>}, {@code restart <node|region>},
 * {@code isolate <region>}, {@code heal}, {@code switchover <region>},
 * {@code promote <region> [allow-data-loss]}. Errors name the line number.
 */
public final class ScenarioFile {

    private ScenarioFile() {
    }

    public static ScriptedScenario read(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return parse(name, Files.readAllLines(file));
    }

    /** Throws IllegalArgumentException "line N: ..." on the first bad line. */
    public static ScriptedScenario parse(String name, List<String> lines) {
        List<ScriptedScenario.Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                steps.add(parseStep(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + " in '" + line + "'", e);
            }
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("scenario '" + name + "' has no steps");
        }
        steps.sort(Comparator.comparing(ScriptedScenario.Step::at));
        return new ScriptedScenario(name, steps);
    }

    private static ScriptedScenario.Step parseStep(String line) {
        String[] w = line.split("\\s+");
        if (w.length < 3 || !w[0].equals("at")) {
            throw new IllegalArgumentException("expected 'at <time> <action> ...'");
        }
        Duration at = Durations.parse(w[1]);
        String action = w[2];
        List<String> args = List.of(w).subList(3, w.length);
        return switch (action) {
            case "crash" -> {
                if (args.size() == 2 && args.get(0).equals("leader")) {
                    yield new ScriptedScenario.Step(at, ScriptedScenario.Action.CRASH_LEADER, args.get(1), false);
                }
                requireArgs(action, args, 1, "crash <node> | crash leader <region>");
                yield new ScriptedScenario.Step(at, ScriptedScenario.Action.CRASH, args.get(0), false);
            }
            case "restart" -> step(at, ScriptedScenario.Action.RESTART, action, args, "restart <node|region>");
            case "isolate" -> step(at, ScriptedScenario.Action.ISOLATE, action, args, "isolate <region>");
            case "switchover" -> step(at, ScriptedScenario.Action.SWITCHOVER, action, args, "switchover <region>");
            case "heal" -> {
                requireArgs(action, args, 0, "heal");
                yield new ScriptedScenario.Step(at, ScriptedScenario.Action.HEAL, null, false);
            }
            case "promote" -> {
                boolean allowLoss = args.size() == 2 && args.get(1).equals("allow-data-loss");
                if (!(args.size() == 1 || allowLoss)) {
                    throw new IllegalArgumentException("usage: promote <region> [allow-data-loss]");
                }
                yield new ScriptedScenario.Step(at, ScriptedScenario.Action.PROMOTE, args.get(0), allowLoss);
            }
            default -> throw new IllegalArgumentException("unknown action '" + action
                    + "' (known: crash, restart, isolate, heal, switchover, promote)");
        };
    }

    private static ScriptedScenario.Step step(Duration at, ScriptedScenario.Action a, String action, List<String> args,
                                              String usage) {
        requireArgs(action, args, 1, usage);
        return new ScriptedScenario.Step(at, a, args.get(0), false);
    }

    private static void requireArgs(String action, List<String> args, int n, String usage) {
        if (args.size() != n) {
            throw new IllegalArgumentException("'" + action + "' takes " + n + " argument(s); usage: " + usage);
        }
    }
}
