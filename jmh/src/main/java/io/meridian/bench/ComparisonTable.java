package io.meridian.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Renders one {@link Comparison} as a Markdown table: one row per parameter combination of the
 * Meridian metric, paired with the baseline row whose parameters it contains (a baseline may have
 * fewer parameters, e.g. no compression switch). Throughput rows show mean ± 99.9 % CI half-width;
 * sample-time rows show p50 / p99 / p99.9, since an average alone hides the tail.
 */
final class ComparisonTable {

    private ComparisonTable() {
    }

    static String render(Comparison comparison, List<JmhMetric> metrics) {
        List<JmhMetric> meridianRows = metrics.stream().filter(m -> m.id().equals(comparison.meridian())).toList();
        List<JmhMetric> baselineRows = metrics.stream().filter(m -> m.id().equals(comparison.baseline())).toList();
        StringBuilder out = new StringBuilder();
        out.append("**").append(comparison.title()).append("** — baseline `").append(comparison.baseline())
                .append("`, Meridian `").append(comparison.meridian()).append("`\n\n");
        if (meridianRows.isEmpty()) {
            return out.append("_No result for this benchmark in the last run._\n").toString();
        }
        List<String> paramNames = new ArrayList<>(new TreeSet<>(meridianRows.stream()
                .flatMap(m -> m.params().keySet().stream()).toList()));
        boolean sample = meridianRows.get(0).isSampleTime();
        String unit = meridianRows.get(0).unit();
        List<String> header = new ArrayList<>(paramNames);
        if (sample) {
            header.addAll(List.of("baseline p50 / p99 / p99.9 (" + unit + ")", "Meridian p50 / p99 / p99.9 (" + unit + ")",
                    "Meridian/baseline p50", "Meridian/baseline p99"));
        } else {
            header.addAll(List.of("baseline (" + unit + ")", "Meridian (" + unit + ")", "Meridian/baseline"));
        }
        row(out, header);
        row(out, header.stream().map(h -> "---").toList());
        for (JmhMetric meridian : meridianRows) {
            Optional<JmhMetric> baseline = baselineRows.stream()
                    .filter(b -> b.paramsContainedIn(meridian.params())).findFirst();
            List<String> cells = new ArrayList<>();
            paramNames.forEach(p -> cells.add(meridian.params().getOrDefault(p, "")));
            if (sample) {
                cells.add(baseline.map(ComparisonTable::percentiles).orElse("n/a"));
                cells.add(percentiles(meridian));
                cells.add(baseline.map(b -> ratio(meridian.percentile("50.0"), b.percentile("50.0"))).orElse("n/a"));
                cells.add(baseline.map(b -> ratio(meridian.percentile("99.0"), b.percentile("99.0"))).orElse("n/a"));
            } else {
                cells.add(baseline.map(ComparisonTable::scoreWithError).orElse("n/a"));
                cells.add(scoreWithError(meridian));
                cells.add(baseline.map(b -> ratio(meridian.score(), b.score())).orElse("n/a"));
            }
            row(out, cells);
        }
        return out.toString();
    }

    private static void row(StringBuilder out, List<String> cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String percentiles(JmhMetric m) {
        return number(m.percentile("50.0")) + " / " + number(m.percentile("99.0")) + " / " + number(m.percentile("99.9"));
    }

    private static String scoreWithError(JmhMetric m) {
        return Double.isNaN(m.error()) ? number(m.score()) : number(m.score()) + " ± " + number(m.error());
    }

    private static String ratio(double meridian, double baseline) {
        return baseline > 0 && !Double.isNaN(meridian) ? String.format(Locale.ROOT, "%.2f", meridian / baseline) : "n/a";
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
