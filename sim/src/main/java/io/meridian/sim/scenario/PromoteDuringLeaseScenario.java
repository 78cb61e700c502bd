package io.meridian.sim.scenario;

import io.meridian.Position;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Promotion while the old primary still believes it holds its lease: cut the primary off and
 * promote the next region at once (allowDataLoss), while clients keep writing to and reading from the
 * old primary. Around the old primary's lease boundary its applies are slowed, so writes that
 * committed just before the lease ran out reach their acknowledgement check after it, and
 * linearizable reads wait on their barrier across it: every one of them must be refused or reported
 * as unknown, never acknowledged or served stale. Then heal, let the old primary rejoin, converge.
 */
public final class PromoteDuringLeaseScenario implements Scenario {

    /** Per-apply pause on the old primary: with the workload's in-flight cap it delays commits by ~0.3 s. */
    static final Duration SLOW_APPLY = Duration.ofMillis(10);
    /** The lease margin SimCluster configures on every node. */
    private static final Duration LEASE_MARGIN = Duration.ofMillis(300);

    @Override
    public String name() {
        return "promote-during-lease";
    }


    @Override
    public void run(ScenarioContext ctx) throws Exception {
        String old = ctx.cluster().primaryRegion() == null ? "r0" : ctx.cluster().primaryRegion();
        String target = ctx.cluster().regions().stream().filter(r -> !r.equals(old)).findFirst().orElseThrow();
        Duration lease = ctx.config().lease();
        ctx.sleepUntil(ctx.at(0.25));
        ctx.phase("primary-cut");
        ctx.isolate(old);
        long cut = ctx.cutMs();
        ctx.phase("promoting");
        CompletableFuture<Position> promotion = ctx.startPromotion(target, true);

        // The old primary's lease ends between cut + lease - ping interval and cut + lease: slow it from
        // halfway through until well after the new primary may have started.
        ctx.sleepUntil(Duration.ofMillis(cut).plus(lease.dividedBy(2)));
        ctx.slowApplies(old, SLOW_APPLY);
        ctx.sleepUntil(Duration.ofMillis(cut).plus(lease).plus(LEASE_MARGIN).plusSeconds(1));
        ctx.slowApplies(old, Duration.ZERO);

        long epoch = promotion.get(ScenarioContext.STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).epoch();
        ctx.await("a write acknowledged by " + target, ScenarioContext.STEP_TIMEOUT,
                () -> ctx.workload().firstAckMs(target, epoch) >= 0);
        ctx.event("first write acknowledged by " + target + ": RTO "
                + (ctx.workload().firstAckMs(target, epoch) - cut) + " ms");
        ctx.event(old + " reports " + role(ctx, old) + " before the heal");

        ctx.healAll();
        ctx.phase("rejoining");
        ctx.await(old + " to rejoin as SECONDARY", Duration.ofSeconds(60), () -> "SECONDARY".equals(role(ctx, old)));
        ctx.event(old + " rejoined as a secondary");
        ctx.phase("recovered");
    }

    static String role(ScenarioContext ctx, String region) {
        var leader = ctx.cluster().leaderOf(region);
        return leader == null ? "-" : leader.regionRole();
    }
}
