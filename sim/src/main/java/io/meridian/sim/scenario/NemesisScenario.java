package io.meridian.sim.scenario;

import io.meridian.sim.run.Cluster;
import io.meridian.sim.run.SimNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A seeded random schedule of faults ({@link NemesisPlan}): kill, pause, partition a region or a
 * single node, switchover, promotion with allowDataLoss; each recovered (restart, resume, heal)
 * before the next. A fault that cannot be applied (no leader to kill, a switchover refused or timed
 * out while the cluster is still recovering) is recorded as an event, not a violation: under a
 * nemesis refusals are expected, only the checks decide. Ends healed, with every node running.
 */
public final class NemesisScenario implements Scenario {

    /** Bound on a switchover or promotion inside the schedule, shorter than the general step timeout. */
    private static final Duration ROLE_CHANGE_TIMEOUT = Duration.ofSeconds(20);
    /** A node JVM restarting on a loaded 2-core machine has been seen to need over 20 s. */
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(45);
    /** No fault may still run after this share of the duration. */
    private static final double LAST_START_SHARE = 0.9;

    @Override
    public String name() {
        return "nemesis";
    }


    @Override
    public void run(ScenarioContext ctx) throws Exception {
        List<NemesisPlan.Step> plan = NemesisPlan.draw(ctx.config().seed(), ctx.config().duration().toMillis(),
                ctx.config().regions(), ctx.config().nodesPerRegion(), ctx.config().processes());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seed", ctx.config().seed());
        json.put("schedule", plan.stream().map(NemesisPlan.Step::toJson).toList());
        ctx.nemesis(json);
        List<String> outcomes = new ArrayList<>();
        int injected = 0;
        for (NemesisPlan.Step step : plan) {
            ctx.sleepUntil(Duration.ofMillis(step.atMs()));
            ctx.phase("nemesis-" + step.toJson().get("fault"));
            String outcome;
            try {
                // Recoveries can run late (a JVM restarting on a loaded machine): the schedule stays
                // the seed's, but a step that would no longer end before the load does is skipped.
                outcome = ctx.elapsedMs() + step.durationMs() > ctx.at(LAST_START_SHARE).toMillis()
                        ? skipped(ctx, step, "behind schedule, no time left before the load ends")
                        : apply(ctx, step);
                injected += outcome.startsWith("skipped") ? 0 : 1;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // The fault itself went in; what failed is its recovery or the role change it asked for.
                injected++;
                outcome = "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                ctx.event("nemesis " + step.kind() + " " + outcome);
                recover(ctx);
            }
            outcomes.add(outcome);
        }
        ctx.phase("nemesis-heal");
        recover(ctx);
        json.put("injected", injected);
        json.put("outcomes", outcomes);
        ctx.nemesis(json);
        ctx.phase("healed");
    }

    private static String apply(ScenarioContext ctx, NemesisPlan.Step step) throws Exception {
        Cluster cluster = ctx.cluster();
        Duration lasting = Duration.ofMillis(step.durationMs());
        switch (step.kind()) {
            case KILL -> {
                String node = node(ctx, step.target());
                if (node == null) {
                    return skipped(ctx, step, "no node to kill");
                }
                ctx.crash(node, " (nemesis " + step.target() + ")");
                Thread.sleep(lasting.toMillis());
                ctx.restart(node);
                awaitBack(ctx, node);
            }
            case PAUSE -> {
                String node = node(ctx, step.target());
                if (node == null || !ctx.pause(node, " for " + lasting.toMillis() + " ms (nemesis " + step.target() + ")")) {
                    return skipped(ctx, step, node == null ? "no node to pause" : "pause unsupported here");
                }
                Thread.sleep(lasting.toMillis());
                ctx.resume(node);
                awaitBack(ctx, node);
            }
            case PARTITION_REGION -> {
                String region = region(ctx, step.target().substring("region:".length()));
                ctx.isolate(region);
                Thread.sleep(lasting.toMillis());
                ctx.healAll();
            }
            case PARTITION_NODE -> {
                ctx.cutNode(step.target().substring("node:".length()));
                Thread.sleep(lasting.toMillis());
                ctx.healAll();
            }
            case SWITCHOVER -> {
                String primary = cluster.primaryRegion();
                if (primary == null) {
                    return skipped(ctx, step, "no primary to switch over from");
                }
                ctx.switchover(next(cluster, primary), ROLE_CHANGE_TIMEOUT);
            }
            case PROMOTE -> {
                String old = cluster.primaryRegion();
                if (old == null) {
                    return skipped(ctx, step, "no primary to promote over");
                }
                String target = next(cluster, old);
                long start = ctx.elapsedMs();
                if (step.cutPrimary()) {
                    ctx.isolate(old);
                }
                ctx.promote(target, true, ROLE_CHANGE_TIMEOUT);
                Thread.sleep(Math.max(0, step.durationMs() - (ctx.elapsedMs() - start)));
                ctx.healAll();
                ctx.await(old + " to follow " + target, ROLE_CHANGE_TIMEOUT,
                        () -> !"PRIMARY".equals(PromoteDuringLeaseScenario.role(ctx, old)));
            }
            default -> throw new IllegalStateException("unknown fault " + step.kind());
        }
        return "injected";
    }

    /**
     * One fault at a time means the previous one is over: a restarted process needs seconds to start
     * its JVM, and killing its region's next leader meanwhile would cost the region its majority.
     */
    private static void awaitBack(ScenarioContext ctx, String node) throws InterruptedException {
        ctx.await(node + " to answer again", RESTART_TIMEOUT, () -> ctx.cluster().answers(node));
    }

    private static String skipped(ScenarioContext ctx, NemesisPlan.Step step, String why) {
        ctx.event("nemesis " + step.kind() + " " + step.target() + " skipped: " + why);
        return "skipped: " + why;
    }

    /** Heals every partition, resumes paused nodes, restarts crashed ones. */
    private static void recover(ScenarioContext ctx) {
        ctx.healAll();
        ctx.recoverAll();
    }

    /** "leader:primary", "leader:r1" or "node:r1-2" as a node id, or null when there is none now. */
    private static String node(ScenarioContext ctx, String target) {
        if (target.startsWith("node:")) {
            return target.substring("node:".length());
        }
        SimNode leader = ctx.cluster().leaderOf(region(ctx, target.substring("leader:".length())));
        return leader == null ? null : leader.nodeId();
    }

    private static String region(ScenarioContext ctx, String name) {
        if (!"primary".equals(name)) {
            return name;
        }
        String primary = ctx.cluster().primaryRegion();
        return primary == null ? ctx.cluster().regions().get(0) : primary;
    }

    /** The region after {@code primary} in name order, wrapping around. */
    private static String next(Cluster cluster, String primary) {
        List<String> regions = cluster.regions();
        return regions.get((regions.indexOf(primary) + 1) % regions.size());
    }
}
