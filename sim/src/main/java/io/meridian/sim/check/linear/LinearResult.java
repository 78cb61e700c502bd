package io.meridian.sim.check.linear;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict on a whole history: keys are independent registers, so the history is linearizable
 * exactly when every key's is.
 *
 * @param verdict     VIOLATION if any key has one, else UNKNOWN if any key's search gave up, else OK
 * @param ops         ops given to the checker
 * @param keys        distinct keys among them
 * @param checkedOps  ops the searches had to place (FAIL ops, UNKNOWN reads and unread UNKNOWN writes are not)
 * @param steps       search steps spent over all keys
 * @param violations  one per non-linearizable key, ordered by key
 * @param unknownKeys keys whose search ran out of budget, ordered
 */
public record LinearResult(Verdict verdict, long ops, int keys, long checkedOps, long steps,
                           List<LinearViolation> violations, List<String> unknownKeys) {

    /** report.json lists at most this many violations (each with its window); the count is always exact. */
    public static final int MAX_JSON_VIOLATIONS = 20;

    public LinearResult {
        violations = List.copyOf(violations);
        unknownKeys = List.copyOf(unknownKeys);
    }

    public boolean ok() {
        return verdict == Verdict.OK;
    }

    /**
     * One line per problem, in the style of the run checker's violations ("KIND: message"), for the
     * report's flat violations list.
     */
    public List<String> violationLines() {
        List<String> lines = new ArrayList<>();
        violations.forEach(v -> lines.add("NOT_LINEARIZABLE: " + v.description()));
        if (!unknownKeys.isEmpty()) {
            lines.add("LINEARIZABILITY_UNKNOWN: search budget exceeded for " + unknownKeys.size() + " key(s): "
                    + String.join(", ", unknownKeys.subList(0, Math.min(10, unknownKeys.size())))
                    + (unknownKeys.size() > 10 ? ", ..." : ""));
        }
        return lines;
    }

    /** A JSON-friendly view (String/Number/Boolean/List/Map/null only) with snake_case keys. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", verdict.json());
        m.put("ops", ops);
        m.put("keys", keys);
        m.put("checked_ops", checkedOps);
        m.put("search_steps", steps);
        m.put("violations_total", violations.size());
        List<Map<String, Object>> listed = new ArrayList<>();
        violations.stream().limit(MAX_JSON_VIOLATIONS).forEach(v -> listed.add(v.toJson()));
        m.put("violations", listed);
        m.put("unknown_keys", unknownKeys);
        return m;
    }
}
