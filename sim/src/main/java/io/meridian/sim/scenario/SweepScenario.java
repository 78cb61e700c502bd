package io.meridian.sim.scenario;

import io.meridian.sim.report.SweepCurve;
import io.meridian.sim.run.LagProbe;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The throughput–lag curve: the offered open-loop load doubles every step, from 500 ops/s, until
 * the run's duration is used up; each step reports the write throughput achieved and the lag of the
 * secondary regions (acknowledged at the primary → applied there) over the whole step, nothing
 * excluded. The saturation point is the first step whose achieved write rate falls below 90 % of
 * the offered one; the most any step achieved is the saturation throughput. Steps last
 * duration / {@value #MAX_STEPS} (at least {@value #MIN_STEP_SECONDS} s, so a short run has fewer
 * steps): {@code --duration 60s} gives eight 7.5 s steps up to 64,000 ops/s offered.
 */
public final class SweepScenario implements Scenario {

    static final int MAX_STEPS = 8;
    static final int MIN_STEP_SECONDS = 3;
    static final double START_OPS = 500;
    static final double SATURATED_BELOW = 0.9;

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public void run(ScenarioContext ctx) throws Exception {
        long totalMs = ctx.config().duration().toMillis();
        int steps = (int) Math.max(1, Math.min(MAX_STEPS, totalMs / (MIN_STEP_SECONDS * 1000L)));
        long stepMs = totalMs / steps;
        double writeShare = 1 - ctx.config().readRatio();
        List<SweepCurve.Step> done = new ArrayList<>();
        Double saturatedAt = null;
        double best = 0;
        try (LagProbe probe = new LagProbe(ctx.cluster(), ctx.workload(), ctx.clock())) {
            double offered = START_OPS;
            for (int i = 0; i < steps; i++, offered *= 2) {
                ctx.workload().rate(offered);
                ctx.event(String.format(java.util.Locale.US, "sweep step %d/%d: offering %.0f ops/s", i + 1, steps,
                        offered));
                probe.takeInterval();
                long ackedBefore = ctx.workload().ackedCount();
                long startMs = ctx.elapsedMs();
                ctx.sleepUntil(Duration.ofMillis(stepMs * (i + 1)));
                double seconds = Math.max(1, ctx.elapsedMs() - startMs) / 1000.0;
                double achieved = (ctx.workload().ackedCount() - ackedBefore) / seconds;
                Histogram lag = probe.takeInterval();
                done.add(new SweepCurve.Step(offered, offered * writeShare, achieved,
                        lag.getTotalCount(), lag.getValueAtPercentile(50), lag.getValueAtPercentile(99),
                        lag.getMaxValue()));
                best = Math.max(best, achieved);
                if (saturatedAt == null && achieved < SATURATED_BELOW * offered * writeShare) {
                    saturatedAt = offered;
                }
            }
        }
        ctx.sweep(new SweepCurve(done, best, saturatedAt));
        ctx.event(String.format(java.util.Locale.US, "sweep: saturation at %,.0f writes/s (first saturated step: %s)",
                best, saturatedAt == null ? "none" : String.format(java.util.Locale.US, "%,.0f ops/s offered", saturatedAt)));
    }
}
