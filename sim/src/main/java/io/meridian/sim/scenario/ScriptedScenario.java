package io.meridian.sim.scenario;

import io.meridian.sim.run.Durations;

import java.time.Duration;
import java.util.List;

/** A scenario read from a file by {@link ScenarioFile}: timed steps run in order. */
public final class ScriptedScenario implements Scenario {

    /** What a step does. */
    public enum Action { CRASH_LEADER, CRASH, RESTART, ISOLATE, HEAL, SWITCHOVER, PROMOTE }

    /**
     * One line of the file.
     *
     * @param at            offset from the start of the load
     * @param target        region or node the action applies to (null for HEAL)
     * @param allowDataLoss for PROMOTE
     */
    public record Step(Duration at, Action action, String target, boolean allowDataLoss) { }

    private final String name;
    private final List<Step> steps;

    public ScriptedScenario(String name, List<Step> steps) {
        this.name = name;
        this.steps = List.copyOf(steps);
    }

    @Override
    public String name() {
        return name;
    }

    public List<Step> steps() {
        return steps;
    }


    @Override
    public void run(ScenarioContext ctx) throws Exception {
        for (Step step : steps) {
            ctx.sleepUntil(step.at());
            ctx.phase(step.action().name().toLowerCase() + "@" + Durations.format(step.at()));
            switch (step.action()) {
                case CRASH_LEADER -> ctx.crashLeader(region(ctx, step.target()));
                case CRASH -> ctx.crash(node(ctx, step.target()), "");
                case RESTART -> {
                    if (ctx.cluster().regions().contains(step.target())) {
                        ctx.restartCrashed(step.target());
                    } else {
                        ctx.restart(node(ctx, step.target()));
                    }
                }
                case ISOLATE -> ctx.isolate(region(ctx, step.target()));
                case HEAL -> ctx.healAll();
                case SWITCHOVER -> ctx.switchover(region(ctx, step.target()));
                case PROMOTE -> ctx.promote(region(ctx, step.target()), step.allowDataLoss());
                default -> throw new IllegalStateException("unhandled action " + step.action());
            }
        }
    }

    private static String region(ScenarioContext ctx, String region) {
        if (!ctx.cluster().regions().contains(region)) {
            throw new IllegalArgumentException("unknown region '" + region + "'; regions: " + ctx.cluster().regions());
        }
        return region;
    }

    private static String node(ScenarioContext ctx, String node) {
        if (!ctx.cluster().knowsNode(node)) {
            throw new IllegalArgumentException("unknown node '" + node + "'");
        }
        return node;
    }
}
