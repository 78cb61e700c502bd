package io.meridian.sim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The labelled facts of a report, shared by the text summary and the HTML table so they never disagree. */
final class SummaryRows {

    /** One labelled line of the summary. */
    record Row(String label, String value) { }

    private SummaryRows() {
    }

    static List<Row> of(RunReport r) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("scenario", r.scenario() + " (seed " + r.seed() + ")"));
        rows.add(new Row("regions", String.join(", ", r.regions()) + " (final primary "
                + orDash(r.primaryRegionFinal()) + ")"));
        rows.add(new Row("duration", num(r.durationSeconds(), 1) + " s"));
        rows.add(new Row("writes", String.format(Locale.US, "%,d attempted, %,d acked, %s ops/s",
                r.writesAttempted(), r.writesAcked(), num(r.throughputOpsPerSecond(), 0))));
        RunReport.Latency w = r.writeLatencyMs();
        if (w != null) {
            rows.add(new Row("write latency", "p50 " + ms(w.p50()) + "  p90 " + ms(w.p90()) + "  p99 " + ms(w.p99())
                    + "  p999 " + ms(w.p999()) + "  max " + ms(w.max())));
        }
        for (Map.Entry<String, RunReport.Lag> e : r.lagMs().entrySet()) {
            RunReport.Lag l = e.getValue();
            rows.add(new Row("lag " + e.getKey(), "p50 " + ms(l.p50()) + "  p99 " + ms(l.p99()) + "  p999 "
                    + ms(l.p999()) + "  max " + ms(l.max())));
        }
        for (Map.Entry<String, Map<String, RunReport.StageLag>> e : r.lagAnatomyUs().entrySet()) {
            StringBuilder v = new StringBuilder("p99 ms:");
            for (Map.Entry<String, RunReport.StageLag> st : e.getValue().entrySet()) {
                v.append(' ').append(st.getKey()).append(' ').append(num(st.getValue().p99Us() / 1000.0, 1));
            }
            rows.add(new Row("lag anatomy " + e.getKey(), v.toString()));
        }
        if (r.sweep() != null) {
            StringBuilder v = new StringBuilder(String.format(Locale.US, "saturation %,.0f writes/s;",
                    r.sweep().saturationWritesPerSecond()));
            for (SweepCurve.Step st : r.sweep().steps()) {
                v.append(String.format(Locale.US, " %,.0f→%,.0f/s p99 %s", st.offeredWrites(), st.achievedWrites(),
                        ms(st.lagP99Ms())));
            }
            rows.add(new Row("sweep (offered→achieved writes, lag)", v.toString()));
        }
        RunReport.Failover f = r.failover();
        rows.add(new Row("failover", f == null ? "-" : String.format(Locale.US,
                "RTO %s, RPO %,d entries, %,d reported divergent (%,d never acked)", ms(f.rtoMs()),
                f.rpoEntries(), f.reportedDivergentEntries(), f.unackedDivergentEntries())));
        rows.add(new Row("switchover", r.switchoverMs() == null ? "-" : ms(r.switchoverMs())));
        rows.add(new Row("lost acked writes", String.format(Locale.US, "%,d", r.lostAckedWrites())));
        rows.add(new Row("fenced writes accepted", String.format(Locale.US, "%,d", r.fencedWritesAccepted())));
        rows.addAll(ConsistencyRows.of(r));
        rows.add(new Row("converged", (r.converged() ? "yes" : "NO") + "  " + r.digests().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))));
        RunReport.Config c = r.config();
        if (c != null) {
            rows.add(new Row("config", String.format(Locale.US,
                    "%d nodes/region, %s ops/s, %,d B payload, WAN %s ±%s loss %s%%", c.nodesPerRegion(),
                    num(c.rateOpsPerSecond(), 0), c.payloadBytes(), ms(c.wanDelayMs()), ms(c.wanJitterMs()),
                    num(c.wanLoss() * 100, 2))));
        }
        rows.add(new Row("violations", String.valueOf(r.violations().size())));
        return rows;
    }

    static String ms(double v) {
        return num(v, v < 10 ? 1 : 0) + " ms";
    }

    static String num(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.US, "%,." + decimals + "f", v);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
