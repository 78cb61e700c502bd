package io.meridian.sim.scenario;

/** Load only: the baseline for throughput and lag. */
public final class SteadyScenario implements Scenario {

    @Override
    public String name() {
        return "steady";
    }


    @Override
    public void run(ScenarioContext ctx) {
        ctx.event("steady load, no faults");
    }
}
