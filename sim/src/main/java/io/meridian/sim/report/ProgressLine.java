package io.meridian.sim.report;

import java.util.Locale;
import java.util.Map;

/**
 * Formats the one-line progress the simulator prints while a run goes, e.g.
 * {@code [  12.3s] steady  writes 12,345 (4,012/s)  lag us p99 23ms  eu:PRIMARY us:SECONDARY}.
 */
public final class ProgressLine {

    private ProgressLine() {
    }

    /**
     * @param elapsedSeconds since the run started
     * @param phase          scenario phase ("warmup", "steady", "failover", ...)
     * @param writes         writes acknowledged so far
     * @param opsPerSecond   recent acknowledged writes per second
     * @param lagP99Ms       remote region to its recent p99 lag in ms (null or NaN prints "-")
     * @param roles          region to its role (PRIMARY, SECONDARY, FENCED, ...), in print order
     */
    public static String format(double elapsedSeconds, String phase, long writes, double opsPerSecond,
                                Map<String, Double> lagP99Ms, Map<String, String> roles) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(String.format(Locale.US, "[%6.1fs] %s  writes %,d (%s/s)", elapsedSeconds, phase, writes,
                count(opsPerSecond)));
        if (!lagP99Ms.isEmpty()) {
            sb.append("  lag");
            lagP99Ms.forEach((region, lag) -> sb.append(' ').append(region).append(" p99 ").append(millis(lag)));
        }
        if (!roles.isEmpty()) {
            sb.append(' ');
            roles.forEach((region, role) -> sb.append(' ').append(region).append(':').append(role));
        }
        return sb.toString();
    }

    private static String count(double v) {
        return Double.isFinite(v) ? String.format(Locale.US, "%,.0f", v) : "-";
    }

    private static String millis(Double ms) {
        if (ms == null || !Double.isFinite(ms)) {
            return "-";
        }
        return String.format(Locale.US, ms < 10 ? "%.1fms" : "%,.0fms", ms);
    }
}
