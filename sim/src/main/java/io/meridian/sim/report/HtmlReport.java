package io.meridian.sim.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.meridian.sim.report.SvgChart.esc;

/** Renders a {@link RunReport} as one self-contained HTML page: inline CSS and SVG, nothing fetched. */
final class HtmlReport {

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#222}
            h1{font-size:22px;margin:0 0 12px}h2{font-size:16px;margin:24px 0 6px}
            .banner{padding:10px 14px;border-radius:6px;font-weight:600;font-size:18px;color:#fff}
            .pass{background:#2e7d32}.fail{background:#c62828}
            ul.v{margin:8px 0;padding-left:20px;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;\
            color:#b71c1c}
            table{border-collapse:collapse;margin-top:12px;font-size:13px}
            td{border-bottom:1px solid #e0e0e0;padding:4px 12px 4px 0;vertical-align:top}
            td.k{color:#555;white-space:nowrap}
            svg{display:block;margin:6px 0;background:#fafafa;border:1px solid #eee;width:100%;height:auto}
            svg .t{font-size:13px;font-weight:600;fill:#222}svg .l{font-size:11px;fill:#444}\
            svg .b{font-size:10px;fill:#fff}
            table.ev td{padding:1px 10px 1px 0;border-bottom:1px solid #f0f0f0}
            svg .g{stroke:#e4e4e4}svg .a{stroke:#888}
            table.w{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px}
            table.w th{text-align:left;padding:2px 8px 2px 0;color:#555}table.w tr.f td{color:#b71c1c;font-weight:600}
            p.vd{font-size:13px;margin:12px 0 0}
            """;

    private HtmlReport() {
    }

    static String render(RunReport r) {
        StringBuilder html = new StringBuilder(32 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Meridian simulation: ").append(esc(r.scenario())).append("</title>\n<style>")
                .append(CSS).append("</style></head>\n<body>\n<h1>Meridian simulation: ").append(esc(r.scenario()))
                .append("</h1>\n");
        banner(html, r);
        html.append("<table>\n");
        for (SummaryRows.Row row : SummaryRows.of(r)) {
            html.append("<tr><td class=\"k\">").append(esc(row.label())).append("</td><td>").append(esc(row.value()))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
        html.append(WindowTables.render(r.linearizability()));
        double xMax = timeAxisSeconds(r);
        FaultWindows faults = FaultWindows.of(r.timeline(), Math.round(xMax * 1000));
        List<SvgChart.Shade> shades = faults.windows.stream().map(w -> new SvgChart.Shade(w.startMs() / 1000.0,
                w.endMs() / 1000.0, w.kind().colour, w.label())).toList();
        List<SvgChart.Mark> marks = violationMarks(r.linearizability());
        String shading = shades.isEmpty() ? "" : "<p class=\"vd\">Shaded: fault windows (colours as in the lanes below)"
                + (marks.isEmpty() ? "" : "; red lines: linearizability violations (failing op invoked)") + ".</p>\n";
        html.append("<h2>Faults and roles</h2>\n").append(LaneChart.render(r.regions(), faults, xMax))
                .append("<h2>Replication lag</h2>\n").append(shading)
                .append(SvgChart.lines("Lag per remote region", "ms", lagSeries(r), xMax, shades, marks))
                .append("<h2>Lag anatomy</h2>\n").append(AnatomyChart.render(r.lagAnatomyUs()))
                .append("<h2>Throughput</h2>\n").append(SvgChart.lines("Acknowledged writes per second", "ops/s",
                        List.of(throughputSeries(r)), xMax, shades, marks))
                .append("<h2>Write latency</h2>\n").append(SvgChart.bars("Client write latency percentiles", "ms",
                        latencyBars(r.writeLatencyMs())));
        if (r.sweep() != null) {
            html.append("<h2>Throughput and lag</h2>\n").append(sweepChart(r.sweep()));
        }
        html.append("<h2>Events</h2>\n").append(LaneChart.eventsTable(r.timeline(), r.regions()));
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void banner(StringBuilder html, RunReport r) {
        List<String> violations = r.violations();
        if (violations.isEmpty()) {
            html.append("<div class=\"banner pass\">PASS</div>\n");
            return;
        }
        html.append("<div class=\"banner fail\">FAIL: ").append(violations.size())
                .append(violations.size() == 1 ? " violation" : " violations").append("</div>\n<ul class=\"v\">\n");
        for (String v : violations) {
            html.append("<li>").append(esc(v)).append("</li>\n");
        }
        html.append("</ul>\n");
    }

    /** One mark per linearizability violation, at its failing op's invocation (ns since the run start). */
    @SuppressWarnings("unchecked")
    private static List<SvgChart.Mark> violationMarks(Map<String, Object> linearizability) {
        List<SvgChart.Mark> marks = new ArrayList<>();
        Object violations = linearizability == null ? null : linearizability.get("violations");
        if (violations instanceof List<?> list) {
            for (Object v : list) {
                if (v instanceof Map<?, ?> m && m.get("failing_op") instanceof Map<?, ?> op
                        && op.get("invoke_ns") instanceof Number ns) {
                    marks.add(new SvgChart.Mark(ns.doubleValue() / 1e9, "not linearizable: key " + m.get("key")
                            + ", " + m.get("description")));
                }
            }
        }
        return marks;
    }

    /** The run's length, or the last sample or event if those go further. */
    private static double timeAxisSeconds(RunReport r) {
        double max = r.durationSeconds();
        for (RunReport.SeriesPoint p : r.series()) {
            max = Math.max(max, p.tMs() / 1000.0);
        }
        for (RunReport.TimelineEvent e : r.timeline()) {
            max = Math.max(max, e.tMs() / 1000.0);
        }
        return max;
    }

    /** Lag p50 and p99 against the write throughput each sweep step achieved. */
    private static String sweepChart(SweepCurve sweep) {
        List<double[]> p50 = new ArrayList<>();
        List<double[]> p99 = new ArrayList<>();
        double xMax = 1;
        for (SweepCurve.Step s : sweep.steps()) {
            p50.add(new double[] {s.achievedWrites(), s.lagP50Ms()});
            p99.add(new double[] {s.achievedWrites(), s.lagP99Ms()});
            xMax = Math.max(xMax, s.achievedWrites());
        }
        String note = String.format(java.util.Locale.US, "<p class=\"vd\">Saturation: %,.0f writes/s achieved at most; "
                + "first saturated step (achieved &lt; 90%% of offered): %s.</p>%n", sweep.saturationWritesPerSecond(),
                sweep.saturatedAtOfferedOps() == null ? "none" : String.format(java.util.Locale.US, "%,.0f ops/s offered",
                        sweep.saturatedAtOfferedOps()));
        return note + SvgChart.xy("Lag (ack at primary to applied in the secondaries) vs achieved throughput", "ms",
                "achieved writes/s", List.of(new SvgChart.Series("lag p50", p50), new SvgChart.Series("lag p99", p99)),
                xMax);
    }

    private static List<SvgChart.Series> lagSeries(RunReport r) {
        Set<String> regions = new LinkedHashSet<>(r.lagMs().keySet());
        r.series().forEach(p -> regions.addAll(p.lagMs().keySet()));
        List<SvgChart.Series> series = new ArrayList<>();
        for (String region : regions) {
            List<double[]> points = new ArrayList<>();
            for (RunReport.SeriesPoint p : r.series()) {
                Double lag = p.lagMs().get(region);
                if (lag != null && Double.isFinite(lag)) {
                    points.add(new double[]{p.tMs() / 1000.0, lag});
                }
            }
            series.add(new SvgChart.Series(region, points));
        }
        return series;
    }

    private static SvgChart.Series throughputSeries(RunReport r) {
        List<double[]> points = new ArrayList<>();
        for (RunReport.SeriesPoint p : r.series()) {
            points.add(new double[]{p.tMs() / 1000.0, p.opsPerSecond()});
        }
        return new SvgChart.Series("ops/s", points);
    }

    private static Map<String, Double> latencyBars(RunReport.Latency l) {
        Map<String, Double> bars = new LinkedHashMap<>();
        if (l != null) {
            bars.put("p50", l.p50());
            bars.put("p90", l.p90());
            bars.put("p99", l.p99());
            bars.put("p99.9", l.p999());
            bars.put("max", l.max());
        }
        return bars;
    }
}
