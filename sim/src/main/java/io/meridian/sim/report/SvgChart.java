package io.meridian.sim.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small inline-SVG charts for the HTML report, generated as text so the report needs no script,
 * stylesheet or font from anywhere. Coordinates are printed with {@link Locale#ROOT} so a
 * decimal-comma locale cannot corrupt them.
 */
final class SvgChart {

    /** The viewBox width; the page scales every chart to its own width (CSS), so this sets the text size. */
    static final int WIDTH = 1200;
    static final int HEIGHT = 280;
    static final int LEFT = 64;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 40;
    static final int PLOT_W = WIDTH - LEFT - RIGHT;
    private static final int PLOT_H = HEIGHT - TOP - BOTTOM;
    private static final int Y_TICKS = 5;
    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
        "#e377c2", "#17becf"};

    /** A named line; each point is {x seconds, y}. */
    record Series(String name, List<double[]> points) { }

    /** A shaded time window behind the lines (a fault), with its text as tooltip. */
    record Shade(double fromSeconds, double toSeconds, String colour, String label) { }

    /** A marked instant (a linearizability violation's failing op). */
    record Mark(double atSeconds, String label) { }

    private SvgChart() {
    }

    /** One line per series over time, x from 0 to {@code xMaxSeconds}. */
    static String lines(String title, String yUnit, List<Series> series, double xMaxSeconds) {
        return lines(title, yUnit, series, xMaxSeconds, List.of(), List.of());
    }

    /** {@link #lines} over shaded fault windows, with a red marker at each {@code marks} instant. */
    static String lines(String title, String yUnit, List<Series> series, double xMaxSeconds, List<Shade> shades,
                        List<Mark> marks) {
        return lines(title, yUnit, "time (s)", series, xMaxSeconds, shades, marks);
    }

    /** One line per series over any x quantity (points {x, y}), x from 0 to {@code xMax}. */
    static String xy(String title, String yUnit, String xLabel, List<Series> series, double xMax) {
        return lines(title, yUnit, xLabel, series, niceCeiling(xMax), List.of(), List.of());
    }

    private static String lines(String title, String yUnit, String xLabel, List<Series> series, double xMaxSeconds,
                                List<Shade> shades, List<Mark> marks) {
        double yMax = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                yMax = Math.max(yMax, p[1]);
            }
        }
        double xMax = Math.max(xMaxSeconds, 1);
        double yTop = niceCeiling(yMax);
        StringBuilder svg = open(title);
        for (Shade sh : shades) {
            double from = x(sh.fromSeconds(), xMax);
            svg.append("<rect fill=\"").append(sh.colour()).append("\" opacity=\"0.18\" x=\"").append(f(from))
                    .append("\" y=\"").append(TOP).append("\" width=\"").append(f(Math.max(1, x(sh.toSeconds(), xMax) - from)))
                    .append("\" height=\"").append(PLOT_H).append("\"><title>").append(esc(sh.label())).append("</title></rect>\n");
        }
        yAxis(svg, yTop, yUnit);
        xTimeAxis(svg, xMax, TOP + PLOT_H, HEIGHT, xLabel);
        for (Mark m : marks) {
            double x = x(m.atSeconds(), xMax);
            svg.append("<g><title>").append(esc(m.label())).append("</title><line stroke=\"#b71c1c\" stroke-width=\"2\" x1=\"")
                    .append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"").append(TOP).append("\" y2=\"")
                    .append(TOP + PLOT_H).append("\"/><text class=\"l\" fill=\"#b71c1c\" text-anchor=\"middle\" x=\"")
                    .append(f(x)).append("\" y=\"").append(TOP - 2).append("\">\u2717</text></g>\n");
        }
        int colour = 0;
        int legendX = LEFT + PLOT_W - series.stream().mapToInt(SvgChart::legendWidth).sum();
        for (Series s : series) {
            String stroke = PALETTE[colour++ % PALETTE.length];
            if (!s.points().isEmpty()) {
                svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(stroke)
                        .append("\" points=\"");
                for (double[] p : s.points()) {
                    svg.append(f(x(p[0], xMax))).append(',').append(f(y(p[1], yTop))).append(' ');
                }
                svg.append("\"><title>").append(esc(s.name())).append("</title></polyline>\n");
            }
            svg.append("<rect x=\"").append(legendX).append("\" y=\"").append(TOP - 20)
                    .append("\" width=\"12\" height=\"4\" fill=\"").append(stroke).append("\"/>")
                    .append("<text class=\"l\" x=\"").append(legendX + 16).append("\" y=\"").append(TOP - 14)
                    .append("\">").append(esc(s.name())).append("</text>\n");
            legendX += legendWidth(s);
        }
        if (series.stream().allMatch(s -> s.points().isEmpty())) {
            noData(svg);
        }
        return close(svg);
    }

    /** Swatch, gap, name at ~7 px per character, and space before the next entry. */
    private static int legendWidth(Series s) {
        return 16 + 7 * s.name().length() + 16;
    }

    /** Labelled vertical bars, in the map's order. */
    static String bars(String title, String yUnit, Map<String, Double> values) {
        double yMax = values.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double yTop = niceCeiling(yMax);
        StringBuilder svg = open(title);
        yAxis(svg, yTop, yUnit);
        int n = Math.max(values.size(), 1);
        double slot = (double) PLOT_W / n;
        double barWidth = slot * 0.6;
        int i = 0;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            double left = LEFT + slot * i + (slot - barWidth) / 2;
            double top = y(e.getValue(), yTop);
            svg.append("<rect fill=\"").append(PALETTE[0]).append("\" x=\"").append(f(left)).append("\" y=\"")
                    .append(f(top)).append("\" width=\"").append(f(barWidth)).append("\" height=\"")
                    .append(f(TOP + PLOT_H - top)).append("\"/>")
                    .append("<text class=\"l\" text-anchor=\"middle\" x=\"").append(f(left + barWidth / 2))
                    .append("\" y=\"").append(f(top - 4)).append("\">").append(f(e.getValue())).append("</text>")
                    .append("<text class=\"l\" text-anchor=\"middle\" x=\"").append(f(left + barWidth / 2))
                    .append("\" y=\"").append(TOP + PLOT_H + 16).append("\">").append(esc(e.getKey()))
                    .append("</text>\n");
            i++;
        }
        if (values.isEmpty()) {
            noData(svg);
        }
        return close(svg);
    }

    /** Escapes text for HTML and SVG element content and attribute values. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code v}, so ticks land on round numbers. */
    static double niceCeiling(double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[]{1, 2, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static StringBuilder open(String title) {
        return open(title, HEIGHT);
    }

    /** No fixed width: the stylesheet stretches every chart to the page, keeping the aspect ratio. */
    static StringBuilder open(String title, int height) {
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\"><title>").append(esc(title)).append("</title>\n")
                .append("<text class=\"t\" x=\"").append(LEFT).append("\" y=\"16\">").append(esc(title))
                .append("</text>\n");
        return svg;
    }

    static String close(StringBuilder svg) {
        return svg.append("</svg>\n").toString();
    }

    private static void noData(StringBuilder svg) {
        svg.append("<text class=\"l\" text-anchor=\"middle\" x=\"").append(LEFT + PLOT_W / 2).append("\" y=\"")
                .append(TOP + PLOT_H / 2).append("\">no data</text>\n");
    }

    private static void yAxis(StringBuilder svg, double yTop, String unit) {
        for (int i = 0; i <= Y_TICKS; i++) {
            double v = yTop * i / Y_TICKS;
            double y = y(v, yTop);
            svg.append("<line class=\"g\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + PLOT_W)
                    .append("\" y1=\"").append(f(y)).append("\" y2=\"").append(f(y)).append("\"/>")
                    .append("<text class=\"l\" text-anchor=\"end\" x=\"").append(LEFT - 6).append("\" y=\"")
                    .append(f(y + 4)).append("\">").append(tick(v, yTop / Y_TICKS)).append("</text>\n");
        }
        svg.append("<text class=\"l\" x=\"4\" y=\"").append(TOP - 4).append("\">").append(esc(unit)).append("</text>\n");
    }

    private static void xTimeAxis(StringBuilder svg, double xMax) {
        xTimeAxis(svg, xMax, TOP + PLOT_H, HEIGHT);
    }

    /** The time axis along {@code axisY}, ticks every "nice" step, one per ~1/16 of the width. */
    static void xTimeAxis(StringBuilder svg, double xMax, int axisY, int height) {
        xTimeAxis(svg, xMax, axisY, height, "time (s)");
    }

    private static void xTimeAxis(StringBuilder svg, double xMax, int axisY, int height, String label) {
        double step = niceCeiling(xMax / 16);
        svg.append("<line class=\"a\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + PLOT_W).append("\" y1=\"")
                .append(axisY).append("\" y2=\"").append(axisY).append("\"/>\n");
        for (double t = 0; t <= xMax + 1e-9; t += step) {
            double x = x(t, xMax);
            svg.append("<line class=\"a\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
                    .append(axisY).append("\" y2=\"").append(axisY + 4).append("\"/>")
                    .append("<text class=\"l\" text-anchor=\"middle\" x=\"").append(f(x)).append("\" y=\"")
                    .append(axisY + 16).append("\">").append(tick(t, step)).append("</text>\n");
        }
        svg.append("<text class=\"l\" text-anchor=\"end\" x=\"").append(LEFT + PLOT_W).append("\" y=\"")
                .append(height - 4).append("\">").append(esc(label)).append("</text>\n");
    }

    static double x(double seconds, double xMax) {
        return LEFT + PLOT_W * Math.min(Math.max(seconds, 0), xMax) / xMax;
    }

    private static double y(double value, double yTop) {
        return TOP + PLOT_H - PLOT_H * Math.min(Math.max(value, 0), yTop) / yTop;
    }

    private static String tick(double v, double step) {
        return step >= 1 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
