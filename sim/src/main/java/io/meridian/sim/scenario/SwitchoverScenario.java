package io.meridian.sim.scenario;

/** A planned switchover of the primary role to another region mid-run, under load, losing nothing. */
public final class SwitchoverScenario implements Scenario {

    @Override
    public String name() {
        return "switchover";
    }


    @Override
    public void run(ScenarioContext ctx) throws Exception {
        String primary = ctx.cluster().primaryRegion() == null ? "r0" : ctx.cluster().primaryRegion();
        String target = ctx.cluster().regions().stream().filter(r -> !r.equals(primary)).findFirst().orElseThrow();
        ctx.sleepUntil(ctx.at(0.4));
        ctx.phase("switchover");
        ctx.switchover(target);
        ctx.await(target + " to report PRIMARY", ScenarioContext.STEP_TIMEOUT,
                () -> target.equals(ctx.cluster().primaryRegion()));
        ctx.phase("switched");
    }
}
