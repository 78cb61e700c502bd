package io.meridian.sim.scenario;

import java.time.Duration;

/**
 * Crashes the primary region's Raft leader and restarts it a few seconds later, then does the same
 * to a secondary region's leader: region-local elections must hide both from the cluster log.
 */
public final class LeaderCrashScenario implements Scenario {

    @Override
    public String name() {
        return "leader-crash";
    }


    @Override
    public void run(ScenarioContext ctx) throws Exception {
        Duration down = Duration.ofMillis(Math.max(1500, ctx.config().duration().toMillis() / 6));
        String primary = ctx.cluster().primaryRegion() == null ? "r0" : ctx.cluster().primaryRegion();
        String secondary = ctx.cluster().regions().stream().filter(r -> !r.equals(primary)).reduce((a, b) -> b)
                .orElseThrow();

        ctx.sleepUntil(ctx.at(0.15));
        ctx.phase("primary-leader-down");
        String first = ctx.crashLeader(primary);
        ctx.sleepUntil(ctx.at(0.15).plus(down));
        ctx.restart(first);

        ctx.sleepUntil(ctx.at(0.55));
        ctx.phase("secondary-leader-down");
        String second = ctx.crashLeader(secondary);
        ctx.sleepUntil(ctx.at(0.55).plus(down));
        ctx.restart(second);
        ctx.phase("recovered");
    }
}
