package io.meridian.sim.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.meridian.sim.report.SvgChart.esc;

/**
 * The HTML of a failing linearizability check: per violating key, its description and the window of
 * ops around the op no linearization can place (report.json's "linearizability.violations").
 */
final class WindowTables {

    private static final String[] COLUMNS = {"id", "client", "kind", "key", "value", "invoke_ns", "complete_ns",
        "outcome", "region", "role", "linearized_at"};

    private WindowTables() {
    }

    static String render(Map<String, Object> linearizability) {
        if (linearizability == null || !(linearizability.get("violations") instanceof List<?> violations)
                || violations.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<h2>Linearizability violations</h2>\n");
        for (Object v : violations) {
            if (!(v instanceof Map<?, ?> violation)) {
                continue;
            }
            html.append("<p class=\"vd\">key <b>").append(esc(String.valueOf(violation.get("key")))).append("</b>: ")
                    .append(esc(String.valueOf(violation.get("description")))).append("</p>\n<table class=\"w\"><tr>");
            for (String c : COLUMNS) {
                html.append("<th>").append(esc(c)).append("</th>");
            }
            html.append("</tr>\n");
            if (violation.get("window") instanceof List<?> window) {
                for (Object o : window) {
                    if (o instanceof Map<?, ?> op) {
                        boolean failing = "failing".equals(op.get("role"));
                        html.append(failing ? "<tr class=\"f\">" : "<tr>");
                        for (String c : COLUMNS) {
                            html.append("<td>").append(esc(cell(op.get(c)))).append("</td>");
                        }
                        html.append("</tr>\n");
                    }
                }
            }
            html.append("</table>\n");
        }
        return html.toString();
    }

    private static String cell(Object o) {
        if (o == null) {
            return "-";
        }
        if (o instanceof Long || o instanceof Integer) {
            return String.format(Locale.US, "%,d", ((Number) o).longValue());
        }
        return String.valueOf(o);
    }
}
