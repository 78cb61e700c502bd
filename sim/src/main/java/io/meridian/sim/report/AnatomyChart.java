package io.meridian.sim.report;

import java.util.List;
import java.util.Map;

/**
 * The lag anatomy as stacked horizontal bars: for p50, p99 and p99.9, one bar per remote region whose
 * segments are the stages' own percentiles, in the order an entry passes them. Each stage's
 * percentile comes from that stage's own distribution, so a bar is an upper-bound picture of where
 * the time goes (slow batches are not always slow in every stage) and is drawn next to the measured
 * total.
 */
final class AnatomyChart {

    static final List<String> STAGES = List.of("origin", "batching", "network", "remote_commit", "apply");
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"};
    private static final String[][] PERCENTILES = {{"p50", "p50"}, {"p99", "p99"}, {"p999", "p99.9"}};
    private static final int ROW_H = 22;

    private AnatomyChart() {
    }

    static String render(Map<String, Map<String, RunReport.StageLag>> anatomy) {
        if (anatomy == null || anatomy.isEmpty()) {
            return "<p class=\"vd\">No lag anatomy: no batch was applied by a region leader that measured it.</p>\n";
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Map<String, RunReport.StageLag>> region : anatomy.entrySet()) {
            out.append(chart(region.getKey(), region.getValue())).append(table(region.getValue()));
        }
        return out.toString();
    }

    private static String chart(String region, Map<String, RunReport.StageLag> stages) {
        double xMax = 0;
        for (String[] p : PERCENTILES) {
            xMax = Math.max(xMax, Math.max(sum(stages, p[0]), value(stages.get("total"), p[0])));
        }
        xMax = SvgChart.niceCeiling(Math.max(xMax, 1));
        StringBuilder svg = SvgChart.open("Lag anatomy of " + region + " (ms; stages stacked, black tick = total)",
                60 + PERCENTILES.length * (ROW_H + 10) + 30);
        double scale = SvgChart.PLOT_W / xMax;
        int y = 50;
        for (String[] p : PERCENTILES) {
            double x = SvgChart.LEFT;
            svg.append("<text class=\"l\" text-anchor=\"end\" x=\"").append(SvgChart.LEFT - 6).append("\" y=\"")
                    .append(y + 15).append("\">").append(p[1]).append("</text>");
            for (int i = 0; i < STAGES.size(); i++) {
                double w = value(stages.get(STAGES.get(i)), p[0]) * scale;
                svg.append("<rect fill=\"").append(COLOURS[i]).append("\" x=\"").append(SvgChart.f(x))
                        .append("\" y=\"").append(y).append("\" width=\"").append(SvgChart.f(w))
                        .append("\" height=\"").append(ROW_H).append("\"><title>").append(STAGES.get(i)).append(' ')
                        .append(p[1]).append(": ").append(SvgChart.f(value(stages.get(STAGES.get(i)), p[0])))
                        .append(" ms</title></rect>");
                x += w;
            }
            double total = SvgChart.LEFT + value(stages.get("total"), p[0]) * scale;
            svg.append("<rect fill=\"#000\" x=\"").append(SvgChart.f(total - 1)).append("\" y=\"").append(y - 3)
                    .append("\" width=\"2\" height=\"").append(ROW_H + 6).append("\"/>\n");
            y += ROW_H + 10;
        }
        double lx = SvgChart.LEFT;
        for (int i = 0; i < STAGES.size(); i++) {
            svg.append("<rect fill=\"").append(COLOURS[i]).append("\" x=\"").append(SvgChart.f(lx)).append("\" y=\"")
                    .append(y + 4).append("\" width=\"10\" height=\"10\"/><text class=\"l\" x=\"")
                    .append(SvgChart.f(lx + 14)).append("\" y=\"").append(y + 13).append("\">").append(STAGES.get(i))
                    .append("</text>");
            lx += 120;
        }
        svg.append("<text class=\"l\" x=\"").append(SvgChart.f(SvgChart.LEFT + SvgChart.PLOT_W)).append("\" y=\"")
                .append(y + 13).append("\" text-anchor=\"end\">axis 0–").append(SvgChart.f(xMax)).append(" ms</text>");
        return SvgChart.close(svg);
    }

    private static String table(Map<String, RunReport.StageLag> stages) {
        StringBuilder t = new StringBuilder("<table><tr><th>stage</th><th>batches</th><th>p50 ms</th><th>p90 ms</th>"
                + "<th>p99 ms</th><th>p99.9 ms</th><th>max ms</th></tr>\n");
        for (Map.Entry<String, RunReport.StageLag> e : stages.entrySet()) {
            RunReport.StageLag s = e.getValue();
            t.append("<tr><td>").append(SvgChart.esc(e.getKey())).append("</td><td>").append(s.count());
            for (double v : new double[] {s.p50Us(), s.p90Us(), s.p99Us(), s.p999Us(), s.maxUs()}) {
                t.append("</td><td>").append(SvgChart.f(v / 1000.0));
            }
            t.append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    private static double sum(Map<String, RunReport.StageLag> stages, String percentile) {
        double total = 0;
        for (String s : STAGES) {
            total += value(stages.get(s), percentile);
        }
        return total;
    }

    private static double value(RunReport.StageLag s, String percentile) {
        if (s == null) {
            return 0;
        }
        double us = switch (percentile) {
            case "p50" -> s.p50Us();
            case "p99" -> s.p99Us();
            default -> s.p999Us();
        };
        return us / 1000.0;
    }
}
