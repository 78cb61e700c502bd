package io.meridian.sim.scenario;


import java.time.Duration;

/**
 * Unplanned failover: the primary is cut off while clients keep writing to it; once its lease has
 * fenced it, another region is promoted accepting data loss. RTO is cut to first write acknowledged
 * by the new primary. After the heal the old primary exports its divergent tail and rejoins.
 */
public final class FailoverScenario implements Scenario {

    @Override
    public String name() {
        return "failover";
    }


    @Override
    public void run(ScenarioContext ctx) throws Exception {
        String old = ctx.cluster().primaryRegion() == null ? "r0" : ctx.cluster().primaryRegion();
        String target = ctx.cluster().regions().stream().filter(r -> !r.equals(old)).findFirst().orElseThrow();
        ctx.sleepUntil(ctx.at(0.25));
        ctx.phase("primary-cut");
        ctx.isolate(old);
        long cut = ctx.cutMs();
        Duration leaseWait = ctx.config().lease().plus(Duration.ofSeconds(10));
        ctx.await(old + " to be fenced by its lease", leaseWait, () -> {
            var leader = ctx.cluster().leaderOf(old);
            return leader != null && "FENCED".equals(leader.regionRole());
        });
        ctx.event(old + " fenced itself " + (ctx.elapsedMs() - cut) + " ms after the cut");

        ctx.phase("promoting");
        long epoch = ctx.promote(target, true).epoch();
        ctx.await("a write acknowledged by " + target, ScenarioContext.STEP_TIMEOUT,
                () -> ctx.workload().firstAckMs(target, epoch) >= 0);
        ctx.event("first write acknowledged by " + target + ": RTO "
                + (ctx.workload().firstAckMs(target, epoch) - cut) + " ms");

        ctx.healAll();
        ctx.phase("rejoining");
        ctx.await(old + " to rejoin as SECONDARY", Duration.ofSeconds(60), () -> {
            var leader = ctx.cluster().leaderOf(old);
            return leader != null && "SECONDARY".equals(leader.regionRole());
        });
        ctx.event(old + " rejoined as a secondary");
        ctx.phase("recovered");
    }
}
