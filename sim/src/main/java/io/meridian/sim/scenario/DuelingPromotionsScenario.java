package io.meridian.sim.scenario;

import io.meridian.Position;
import io.meridian.PromotionRefusedException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Two secondaries promoted at the same instant after the primary is cut off: one vote per epoch per
 * voter must make exactly one of them win, and the other must be refused with a message naming the
 * winner. Then heal, let both the old primary and the loser follow the winner, converge, check.
 * Needs three data regions (the old primary, two candidates).
 */
public final class DuelingPromotionsScenario implements Scenario {

    @Override
    public String name() {
        return "dueling-promotions";
    }


    @Override
    public int minRegions() {
        return 3;
    }

    @Override
    public void run(ScenarioContext ctx) throws Exception {
        String old = ctx.cluster().primaryRegion() == null ? "r0" : ctx.cluster().primaryRegion();
        List<String> candidates = ctx.cluster().regions().stream().filter(r -> !r.equals(old)).limit(2).toList();
        if (candidates.size() < 2) {
            throw new IllegalStateException(name() + " needs at least 3 regions, has " + ctx.cluster().regions());
        }
        ctx.sleepUntil(ctx.at(0.25));
        ctx.phase("primary-cut");
        ctx.isolate(old);
        long cut = ctx.cutMs();
        ctx.phase("dueling");
        List<Outcome> outcomes = duel(ctx, candidates);

        List<Outcome> won = outcomes.stream().filter(o -> o.start != null).toList();
        Map<String, Object> race = new LinkedHashMap<>();
        race.put("candidates", candidates);
        race.put("winner", won.size() == 1 ? won.get(0).region : null);
        race.put("winners", won.stream().map(o -> o.region).toList());
        for (Outcome o : outcomes) {
            race.put(o.region, o.start != null ? "won epoch " + o.start.epoch() + " at index " + o.start.index()
                    : o.error.getClass().getSimpleName() + ": " + o.error.getMessage());
        }
        String problem = judge(outcomes, won);
        race.put("loser_names_winner", problem == null);
        ctx.promotionRace(race);
        Outcome winner;
        if (problem == null) {
            winner = won.get(0);
            ctx.event("duel won by " + winner.region + " (epoch " + winner.start.epoch() + ")");
        } else if (won.isEmpty()) {
            // A split vote leaves the cluster without a primary: retry one candidate alone, as an
            // operator would, so the rest of the run (rejoin, convergence, checks) is still exercised.
            ctx.problem("dueling promotions: " + problem);
            String retry = candidates.get(0);
            winner = new Outcome(retry, ctx.promote(retry, true), null);
            race.put("retry", retry + " promoted alone afterwards: epoch " + winner.start.epoch());
        } else {
            ctx.problem("dueling promotions: " + problem);
            winner = won.get(0);
        }

        ctx.await("a write acknowledged by " + winner.region, ScenarioContext.STEP_TIMEOUT,
                () -> ctx.workload().firstAckMs(winner.region, winner.start.epoch()) >= 0);
        ctx.event("first write acknowledged by " + winner.region + ": RTO "
                + (ctx.workload().firstAckMs(winner.region, winner.start.epoch()) - cut) + " ms");
        ctx.healAll();
        ctx.phase("rejoining");
        for (String region : ctx.cluster().regions()) {
            if (!region.equals(winner.region)) {
                ctx.await(region + " to follow " + winner.region + " as SECONDARY", Duration.ofSeconds(60),
                        () -> "SECONDARY".equals(PromoteDuringLeaseScenario.role(ctx, region)));
            }
        }
        ctx.event("every other region follows " + winner.region);
        ctx.phase("recovered");
    }

    /** Null when exactly one won and the other's refusal names it; else what went wrong. */
    private static String judge(List<Outcome> outcomes, List<Outcome> won) {
        if (won.size() != 1) {
            return won.isEmpty() ? "neither candidate won: " + describe(outcomes)
                    : "both candidates won: " + describe(outcomes);
        }
        Outcome loser = outcomes.stream().filter(o -> o.start == null).findFirst().orElseThrow();
        if (!(loser.error instanceof PromotionRefusedException)
                || !String.valueOf(loser.error.getMessage()).contains(won.get(0).region)) {
            return loser.region + "'s refusal does not name the winner " + won.get(0).region + ": " + describe(outcomes);
        }
        return null;
    }

    private static String describe(List<Outcome> outcomes) {
        List<String> parts = new ArrayList<>();
        outcomes.forEach(o -> parts.add(o.region + " -> " + (o.start != null ? "epoch " + o.start.epoch()
                : o.error.getClass().getSimpleName() + ": " + o.error.getMessage())));
        return String.join("; ", parts);
    }

    /** Both promotions released by one barrier, each from its own thread, then both awaited. */
    private static List<Outcome> duel(ScenarioContext ctx, List<String> candidates) throws InterruptedException {
        CyclicBarrier barrier = new CyclicBarrier(candidates.size());
        List<CompletableFuture<Position>> futures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (String c : candidates) {
            CompletableFuture<Position> f = new CompletableFuture<>();
            futures.add(f);
            Thread t = new Thread(() -> {
                try {
                    barrier.await(10, TimeUnit.SECONDS);
                    ctx.startPromotion(c, true).whenComplete((p, e) -> {
                        if (e != null) {
                            f.completeExceptionally(e);
                        } else {
                            f.complete(p);
                        }
                    });
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            }, "sim-promote-" + c);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            try {
                outcomes.add(new Outcome(candidates.get(i),
                        futures.get(i).get(ScenarioContext.STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), null));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                        ? e.getCause().getCause() : e.getCause();
                outcomes.add(new Outcome(candidates.get(i), null, cause));
            } catch (java.util.concurrent.TimeoutException e) {
                outcomes.add(new Outcome(candidates.get(i), null, e));
            }
        }
        return outcomes;
    }

    private record Outcome(String region, Position start, Throwable error) { }
}
