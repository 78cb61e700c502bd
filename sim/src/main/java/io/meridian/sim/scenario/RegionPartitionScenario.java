package io.meridian.sim.scenario;


/**
 * Cuts a secondary region off for about a third of the run, heals, and waits for it to catch up
 * with what the primary had committed by then (shipping resumes from its watermark).
 */
public final class RegionPartitionScenario implements Scenario {

    @Override
    public String name() {
        return "region-partition";
    }


    @Override
    public void run(ScenarioContext ctx) throws Exception {
        String primary = ctx.cluster().primaryRegion() == null ? "r0" : ctx.cluster().primaryRegion();
        String victim = ctx.cluster().regions().stream().filter(r -> !r.equals(primary)).reduce((a, b) -> b)
                .orElseThrow();
        ctx.sleepUntil(ctx.at(0.3));
        ctx.phase("partitioned");
        ctx.isolate(victim);
        ctx.sleepUntil(ctx.at(0.63));
        ctx.healAll();
        ctx.phase("catching-up");
        long target = ctx.cluster().awaitLeader(primary, ScenarioContext.STEP_TIMEOUT).appliedIndex();
        long healedAt = ctx.elapsedMs();
        ctx.await(victim + " to catch up to index " + target, ScenarioContext.STEP_TIMEOUT, () -> {
            var leader = ctx.cluster().leaderOf(victim);
            return leader != null && leader.appliedIndex() >= target;
        });
        ctx.event(victim + " caught up to index " + target + " " + (ctx.elapsedMs() - healedAt) + " ms after the heal");
        ctx.phase("healed");
    }
}
