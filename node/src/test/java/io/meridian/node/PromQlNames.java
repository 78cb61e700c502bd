package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names an alerting rule or a dashboard panel reads, from their PromQL. Not a parser: it
 * blanks out what cannot hold a metric name (strings, label matchers, ranges, grouping label lists),
 * then keeps the identifiers that are not function calls or keywords. Good enough for our own files,
 * and checked against a known answer in MetricNamesTest.
 */
final class PromQlNames {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LISTS =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** An identifier not glued to a number (5e9) or another name, and not followed by '(' (a function). */
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*+(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan", "Inf", "NaN");

    private PromQlNames() {
    }

    static Set<String> of(String expr) {
        String s = expr.replaceAll("(?m)#.*$", "");
        s = STRINGS.matcher(s).replaceAll(" ");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGES.matcher(s).replaceAll(" ");
        s = LABEL_LISTS.matcher(s).replaceAll(" ");
        Set<String> out = new TreeSet<>();
        Matcher m = NAME.matcher(s);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group())) {
                out.add(m.group());
            }
        }
        return out;
    }

    /** Every {@code expr} of a Prometheus rules file. */
    static List<String> ruleExpressions(Path rulesYaml) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(rulesYaml.toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode group : root.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.add(rule.path("expr").asText());
            }
        }
        return out;
    }

    /** Every target's {@code expr} of a Grafana dashboard, nested rows included. */
    static List<String> dashboardExpressions(Path dashboardJson) throws IOException {
        List<String> out = new ArrayList<>();
        collect(new ObjectMapper().readTree(dashboardJson.toFile()).path("panels"), out);
        return out;
    }

    private static void collect(JsonNode panels, List<String> out) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                if (t.hasNonNull("expr")) {
                    out.add(t.get("expr").asText());
                }
            }
            collect(p.path("panels"), out);
        }
    }

    /** A dashboard expression made plain PromQL: Grafana's variables replaced by values. */
    static String withoutGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replaceAll("\\$\\w+", ".*");
    }
}
