package io.meridian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One score from a JMH JSON result file ({@code -rf json}): a benchmark's primary metric, or one of
 * its secondary metrics (AuxCounters), for one parameter combination.
 *
 * @param id          {@code SimpleClassName.method}, or {@code SimpleClassName.method:secondary}
 * @param mode        JMH mode code: thrpt, sample, avgt, ss
 * @param params      benchmark parameters of the run
 * @param score       the mean score (for sample mode, the mean latency)
 * @param error       half-width of the 99.9 % confidence interval (NaN with too few iterations)
 * @param unit        score unit, e.g. ops/s or us/op
 * @param percentiles percentile ("50.0", "99.0", "99.9"...) to value; empty unless mode is sample
 */
record JmhMetric(String id, String mode, Map<String, String> params, double score, double error, String unit,
                 Map<String, Double> percentiles) {

    boolean isSampleTime() {
        return "sample".equals(mode);
    }

    double percentile(String p) {
        Double v = percentiles.get(p);
        return v == null ? Double.NaN : v;
    }

    /** True when every parameter this metric has is set to the same value in {@code other}. */
    boolean paramsContainedIn(Map<String, String> other) {
        return params.entrySet().stream().allMatch(e -> e.getValue().equals(other.get(e.getKey())));
    }

    /** Every metric in a JMH JSON result file, secondary ones included. */
    static List<JmhMetric> read(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        List<JmhMetric> metrics = new ArrayList<>();
        for (JsonNode run : root) {
            String id = simpleId(run.path("benchmark").asText());
            String mode = run.path("mode").asText();
            Map<String, String> params = new TreeMap<>();
            run.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            metrics.add(metric(id, mode, params, run.path("primaryMetric")));
            for (Iterator<Map.Entry<String, JsonNode>> it = run.path("secondaryMetrics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> secondary = it.next();
                metrics.add(metric(id + ":" + secondary.getKey(), mode, params, secondary.getValue()));
            }
        }
        return metrics;
    }

    private static JmhMetric metric(String id, String mode, Map<String, String> params, JsonNode node) {
        Map<String, Double> percentiles = new TreeMap<>();
        node.path("scorePercentiles").fields().forEachRemaining(e -> percentiles.put(e.getKey(), e.getValue().asDouble()));
        JsonNode error = node.path("scoreError");
        return new JmhMetric(id, mode, params, node.path("score").asDouble(),
                error.isNumber() ? error.asDouble() : Double.NaN, node.path("scoreUnit").asText(), percentiles);
    }

    /** {@code io.meridian.bench.WalBenchmark.rawAppend} becomes {@code WalBenchmark.rawAppend}. */
    private static String simpleId(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }
}
