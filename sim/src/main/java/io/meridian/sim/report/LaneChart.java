package io.meridian.sim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.meridian.sim.report.SvgChart.esc;
import static io.meridian.sim.report.SvgChart.f;

/**
 * The fault and role timeline as one lane per region: the region's primary periods as a green band,
 * fault windows as coloured bars (stacked when they overlap, labelled only where the label fits, so
 * nothing overprints; every bar has its text as a tooltip), role changes as diamonds. The events
 * table under it lists every timeline line with the region it concerns.
 */
final class LaneChart {

    private static final int LANE_H = 44;
    private static final int BAR_H = 12;
    private static final int TOP = 40;
    private static final double CHAR_W = 6.2;

    private LaneChart() {
    }

    static String render(List<String> regions, FaultWindows faults, double xMaxSeconds) {
        double xMax = Math.max(xMaxSeconds, 1);
        int height = TOP + LANE_H * Math.max(regions.size(), 1) + 40;
        StringBuilder svg = SvgChart.open("Faults and roles, one lane per region", height);
        SvgChart.xTimeAxis(svg, xMax, TOP + LANE_H * regions.size(), height);
        List<FaultWindows.RoleChange> periods = faults.primaryPeriods(regions.isEmpty() ? "r0" : regions.get(0));
        for (int i = 0; i < regions.size(); i++) {
            String region = regions.get(i);
            int laneTop = TOP + i * LANE_H;
            svg.append("<rect x=\"").append(SvgChart.LEFT).append("\" y=\"").append(laneTop).append("\" width=\"")
                    .append(SvgChart.PLOT_W).append("\" height=\"").append(LANE_H - 4)
                    .append("\" fill=\"").append(i % 2 == 0 ? "#f3f3f3" : "#ececec").append("\"/>")
                    .append("<text class=\"t\" x=\"8\" y=\"").append(laneTop + LANE_H / 2 + 2).append("\">")
                    .append(esc(region)).append("</text>\n");
            for (int p = 0; p < periods.size(); p++) {
                if (!periods.get(p).region().equals(region)) {
                    continue;
                }
                double from = SvgChart.x(periods.get(p).tMs() / 1000.0, xMax);
                double to = p + 1 < periods.size() ? SvgChart.x(periods.get(p + 1).tMs() / 1000.0, xMax)
                        : SvgChart.LEFT + SvgChart.PLOT_W;
                svg.append("<rect fill=\"#c8e6c9\" x=\"").append(f(from)).append("\" y=\"").append(laneTop + LANE_H - 12)
                        .append("\" width=\"").append(f(Math.max(1, to - from))).append("\" height=\"6\"><title>")
                        .append(esc(region)).append(" primary</title></rect>\n");
            }
            bars(svg, faults.windows.stream().filter(w -> w.region().equals(region)).toList(), laneTop, xMax);
            for (FaultWindows.RoleChange c : faults.roleChanges) {
                if (c.region().equals(region)) {
                    double x = SvgChart.x(c.tMs() / 1000.0, xMax);
                    double y = laneTop + LANE_H - 9;
                    svg.append("<path fill=\"#2e7d32\" d=\"M").append(f(x)).append(' ').append(f(y - 7)).append(" l6 7 l-6 7 l-6 -7 z\"><title>")
                            .append(esc(String.format(Locale.ROOT, "%.1fs %s", c.tMs() / 1000.0, c.label())))
                            .append("</title></path>\n");
                }
            }
        }
        if (faults.windows.isEmpty() && faults.roleChanges.isEmpty()) {
            svg.append("<text class=\"l\" text-anchor=\"middle\" x=\"").append(SvgChart.LEFT + SvgChart.PLOT_W / 2)
                    .append("\" y=\"").append(TOP + 14).append("\">no faults or role changes</text>\n");
        }
        legend(svg, height);
        return SvgChart.close(svg);
    }

    /** Bars on up to two rows: a bar goes to the first row whose last bar ended before it starts. */
    private static void bars(StringBuilder svg, List<FaultWindows.Window> windows, int laneTop, double xMax) {
        double[] rowEnd = {-1, -1};
        for (FaultWindows.Window w : windows) {
            double from = SvgChart.x(w.startMs() / 1000.0, xMax);
            double to = Math.max(from + 2, SvgChart.x(w.endMs() / 1000.0, xMax));
            int row = from > rowEnd[0] ? 0 : 1;
            rowEnd[row] = Math.max(rowEnd[row], to);
            double y = laneTop + 3 + row * (BAR_H + 2);
            String tip = String.format(Locale.ROOT, "%.1fs-%.1fs %s", w.startMs() / 1000.0, w.endMs() / 1000.0, w.label());
            svg.append("<g><title>").append(esc(tip)).append("</title><rect fill=\"").append(w.kind().colour)
                    .append("\" opacity=\"0.85\" x=\"").append(f(from)).append("\" y=\"").append(f(y)).append("\" width=\"")
                    .append(f(to - from)).append("\" height=\"").append(BAR_H).append("\"/>");
            if (w.label().length() * CHAR_W + 4 < to - from) {
                svg.append("<text class=\"b\" x=\"").append(f(from + 3)).append("\" y=\"").append(f(y + BAR_H - 3))
                        .append("\">").append(esc(w.label())).append("</text>");
            }
            svg.append("</g>\n");
        }
    }

    private static void legend(StringBuilder svg, int height) {
        double x = SvgChart.LEFT + 320; // right of the title
        List<String[]> items = new ArrayList<>();
        for (FaultWindows.Kind k : FaultWindows.Kind.values()) {
            items.add(new String[]{k.colour, k.name().toLowerCase(Locale.ROOT)});
        }
        items.add(new String[]{"#c8e6c9", "primary"});
        items.add(new String[]{"#2e7d32", "role change"});
        for (String[] item : items) {
            svg.append("<rect x=\"").append(f(x)).append("\" y=\"10\" width=\"12\" height=\"8\" fill=\"").append(item[0])
                    .append("\"/><text class=\"l\" x=\"").append(f(x + 16)).append("\" y=\"18\">").append(item[1]).append("</text>\n");
            x += 16 + item[1].length() * 7 + 14;
        }
    }

    /** Every timeline line with the region it concerns (blank when it concerns the whole run). */
    static String eventsTable(List<RunReport.TimelineEvent> events, List<String> regions) {
        StringBuilder html = new StringBuilder("<table class=\"w ev\"><tr><th>t (s)</th><th>region</th><th>event</th></tr>\n");
        for (RunReport.TimelineEvent e : events) {
            html.append("<tr><td>").append(String.format(Locale.ROOT, "%.1f", e.tMs() / 1000.0)).append("</td><td>")
                    .append(esc(regionsIn(e.event(), regions))).append("</td><td>").append(esc(e.event())).append("</td></tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    private static String regionsIn(String text, List<String> regions) {
        List<String> found = new ArrayList<>();
        for (String word : text.split("[\\s:,()]+")) {
            String region = FaultWindows.regionOf(word);
            if (regions.contains(region) && !found.contains(region)) {
                found.add(region);
            }
        }
        return String.join(" ", found);
    }
}
