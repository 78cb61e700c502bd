package io.meridian.sim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the lag-target table of docs/benchmarks.md from the result files {@code bin/lag-bench}
 * keeps under docs/results/lag/, so that every verdict is derived from a file and none is typed by
 * hand. Rewrites only the text between {@code <!-- BEGIN:lag-targets -->} and its END marker.
 *
 * <pre>java -cp sim/target/meridian-sim.jar io.meridian.sim.report.LagTargets docs/results/lag docs/benchmarks.md</pre>
 */
public final class LagTargets {

    static final String BEGIN = "<!-- BEGIN:lag-targets -->";
    static final String END = "<!-- END:lag-targets -->";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One target: which run, which figure, the bound and whether larger is better. */
    record Target(String run, String what, String figure, double bound, boolean atLeast) { }

    static final List<Target> TARGETS = List.of(
            new Target("wan30-1000", "30 ms WAN, 1,000 ops/s, 30 s: lag p99", "lag.p99", 35, false),
            new Target("wan30-1000", "30 ms WAN, 1,000 ops/s, 30 s: lag p99.9", "lag.p999", 45, false),
            new Target("wan30-5000", "30 ms WAN, 5,000 ops/s, 30 s: lag p99", "lag.p99", 40, false),
            new Target("wan0-1000", "no WAN delay, 1,000 ops/s, 30 s: lag p99", "lag.p99", 5, false),
            new Target("wan0-1000", "no WAN delay, 1,000 ops/s, 30 s: lag p99.9", "lag.p999", 15, false),
            new Target("closed-fsync", "closed loop, 8 clients, fsync, 30 s: acked writes/s", "throughput", 12_000, true),
            new Target("closed-fsync", "closed loop, 8 clients, fsync, 30 s: remote apply / primary", "apply_ratio", 0.95,
                    true));

    private LagTargets() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/results/lag");
        Path doc = Path.of(args.length > 1 ? args[1] : "docs/benchmarks.md");
        String table = table(dir);
        String text = Files.readString(doc);
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            throw new IllegalStateException(doc + " has no " + BEGIN + " ... " + END + " section");
        }
        Files.writeString(doc, text.substring(0, b + BEGIN.length()) + "\n" + table + text.substring(e));
        System.out.print(table);
    }

    static String table(Path dir) throws IOException {
        StringBuilder out = new StringBuilder("| target | bound | measured (median of runs; each run) | verdict | result files |\n"
                + "| --- | --- | --- | --- | --- |\n");
        for (Target t : TARGETS) {
            List<Path> files = repeats(dir, t.run());
            List<Double> values = new ArrayList<>();
            for (Path f : files) {
                Double v = figure(JSON.readTree(f.toFile()), t.figure());
                if (v != null) {
                    values.add(v);
                }
            }
            Double value = median(values, t.atLeast());
            String verdict = value == null ? "not measured"
                    : (t.atLeast() ? value >= t.bound() : value <= t.bound()) ? "met" : "**missed**";
            String each = values.size() < 2 ? "" : " (" + String.join(", ", values.stream().map(LagTargets::num).toList()) + ")";
            out.append("| ").append(t.what()).append(" | ").append(t.atLeast() ? "≥ " : "≤ ").append(num(t.bound()))
                    .append(" | ").append(value == null ? "-" : num(value) + each).append(" | ").append(verdict)
                    .append(" | `").append(dir.resolve(t.run() + ".json")).append('`')
                    .append(files.size() > 1 ? " and " + (files.size() - 1) + " repeat" + (files.size() > 2 ? "s" : "") : "")
                    .append(" |\n");
        }
        out.append('\n').append(ceiling(dir)).append(anatomy(dir)).append('\n').append(cpu(dir));
        return out.toString();
    }

    /**
     * Where the CPU went during each measured run (cores, per thread group, from the kernel's
     * per-thread accounting the simulator records): the machine has 2, so a total near 2 means every
     * wake-up on the data path waited for a core.
     */
    private static String cpu(Path dir) throws IOException {
        StringBuilder out = new StringBuilder("| run | cores used (of 2) | largest thread groups (cores) |\n| --- | --- | --- |\n");
        boolean any = false;
        for (String run : runs(dir)) {
            JsonNode groups = JSON.readTree(dir.resolve(run).toFile()).path("machine").path("cpu_cores_by_thread");
            if (!groups.isObject() || groups.size() == 0) {
                continue;
            }
            any = true;
            StringBuilder top = new StringBuilder();
            var it = groups.fields();
            int n = 0;
            while (it.hasNext() && n < 8) {
                var e = it.next();
                if (!e.getKey().equals("total")) {
                    top.append(n++ == 0 ? "" : ", ").append('`').append(e.getKey()).append("` ")
                            .append(String.format(Locale.US, "%.2f", e.getValue().asDouble()));
                }
            }
            out.append("| ").append(run.replace(".json", "")).append(" | ")
                    .append(String.format(Locale.US, "%.2f", groups.path("total").asDouble())).append(" | ")
                    .append(top).append(" |\n");
        }
        return any ? out.toString() : "";
    }

    /** {@code run.json} and its repeats {@code run-2.json}, {@code run-3.json}, ... that exist. */
    static List<Path> repeats(Path dir, String run) {
        List<Path> out = new ArrayList<>();
        for (int i = 1; ; i++) {
            Path f = dir.resolve(i == 1 ? run + ".json" : run + "-" + i + ".json");
            if (!Files.exists(f)) {
                return out;
            }
            out.add(f);
        }
    }

    /**
     * The median; of an even count the less favourable middle value (the larger lag, the smaller
     * rate), so that a verdict never rests on the better half. Null when empty.
     */
    static Double median(List<Double> values, boolean largerIsBetter) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(largerIsBetter ? (sorted.size() - 1) / 2 : sorted.size() / 2);
    }

    private static List<String> runs(Path dir) throws IOException {
        List<String> runs = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.startsWith("relay") && !n.startsWith("jmh"))
                    .sorted().forEach(runs::add);
        }
        return runs;
    }

    /** The JMH result with the raw library's ceiling for the closed-loop target, kept beside the runs. */
    static final String CEILING_FILE = "jmh-region-commit.json";

    /**
     * What one region of three sustains with as many writes in flight as the closed loop has clients,
     * fsync on: raw SOFAJRaft (no-op state machine) and Meridian, from the same JMH run. A closed-loop
     * target above raw JRaft's own rate cannot be met by anything built on it, on this machine.
     */
    private static String ceiling(Path dir) throws IOException {
        Path file = dir.resolve(CEILING_FILE);
        if (!Files.exists(file)) {
            return "";
        }
        Double raw = null;
        Double meridian = null;
        String depth = "?";
        for (JsonNode b : JSON.readTree(file.toFile())) {
            JsonNode params = b.path("params");
            if (!"true".equals(params.path("fsync").asText()) || !"64".equals(params.path("payload").asText())) {
                continue;
            }
            depth = params.path("inFlight").asText();
            double score = b.path("primaryMetric").path("score").asDouble();
            if (b.path("benchmark").asText().endsWith("rawJraftCommit")) {
                raw = score;
            } else if (b.path("benchmark").asText().endsWith("meridianCommit")) {
                meridian = score;
            }
        }
        if (raw == null || meridian == null) {
            return "";
        }
        Target closed = TARGETS.stream().filter(t -> t.figure().equals("throughput")).findFirst().orElseThrow();
        return "Ceiling for the closed-loop target (one region of 3 nodes, " + depth + " writes in flight, fsync, 64 B; JMH "
                + "`RegionCommitBenchmark`, `" + dir.resolve(CEILING_FILE) + "`): raw SOFAJRaft " + num(raw)
                + " commits/s, Meridian " + num(meridian) + " (" + String.format(Locale.US, "%.2f", meridian / raw)
                + " × raw). The target of " + num(closed.bound()) + " writes/s is "
                + String.format(Locale.US, "%.2f", closed.bound() / raw) + " × raw JRaft's own rate at that depth"
                + (closed.bound() > raw ? ": above what the library itself commits on this machine." : ".") + "\n\n";
    }

    /** Where the lag goes in each run (p50 / p99 per stage, ms), from the same files. */
    private static String anatomy(Path dir) throws IOException {
        List<String> stages = List.of("origin", "batching", "network", "remote_commit", "apply", "total");
        StringBuilder out = new StringBuilder("| run (p50 / p99 ms) |");
        stages.forEach(s -> out.append(' ').append(s).append(" |"));
        out.append(" lag (whole run) p50 / p99 / p99.9 / max | load avg (start → end) |\n| --- |")
                .append(" --- |".repeat(stages.size() + 2))
                .append('\n');
        for (String run : runs(dir)) {
            JsonNode r = JSON.readTree(dir.resolve(run).toFile());
            JsonNode a = first(r.path("lag_anatomy_us"));
            JsonNode lag = first(r.path("lag_ms"));
            out.append("| ").append(run.replace(".json", "")).append(" |");
            for (String s : stages) {
                JsonNode st = a == null ? null : a.path(s);
                out.append(' ').append(st == null || st.isMissingNode() ? "-"
                        : num(st.path("p50").asDouble() / 1000) + " / " + num(st.path("p99").asDouble() / 1000)).append(" |");
            }
            out.append(' ').append(lag == null ? "-" : num(lag.path("p50").asDouble()) + " / " + num(lag.path("p99").asDouble())
                    + " / " + num(lag.path("p999").asDouble()) + " / " + num(lag.path("max").asDouble())).append(" | ")
                    .append(r.path("machine").path("load_avg_1m_start").asText("?")).append(" → ")
                    .append(r.path("machine").path("load_avg_1m_end").asText("?")).append(" |\n");
        }
        return out.toString();
    }

    private static Double figure(JsonNode r, String figure) {
        return switch (figure) {
            case "lag.p99" -> value(first(r.path("lag_ms")), "p99");
            case "lag.p999" -> value(first(r.path("lag_ms")), "p999");
            case "throughput" -> r.path("throughput_ops_per_s").asDouble();
            case "apply_ratio" -> {
                JsonNode ratios = r.path("apply_ratio");
                yield ratios.isObject() && ratios.size() > 0 ? first(ratios).asDouble() : null;
            }
            default -> throw new IllegalArgumentException(figure);
        };
    }

    private static Double value(JsonNode n, String field) {
        return n == null || n.path(field).isMissingNode() ? null : n.path(field).asDouble();
    }

    private static JsonNode first(JsonNode object) {
        return object != null && object.isObject() && object.size() > 0 ? object.elements().next() : null;
    }

    private static String num(double v) {
        return (v == Math.rint(v) && Math.abs(v) >= 10) || Math.abs(v) >= 100 ? String.format(Locale.US, "%,.0f", v)
                : String.format(Locale.US, "%.2f", v);
    }
}
