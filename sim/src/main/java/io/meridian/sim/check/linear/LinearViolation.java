package io.meridian.sim.check.linear;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where one key's history stops being linearizable: the op no linearization can place, how far a
 * linearization does get, and a small window of ops around that point.
 *
 * @param key                 the register
 * @param failingOp           the op that cannot be placed: every op returning before it can be
 *                            linearized, but no such linearization also fits this one before it returns
 * @param linearizedPrefixOps length of the longest linearization found before the failing op
 * @param possibleValues      register values that linearization can leave just before the failing op
 *                            returns (null = absent); at most {@value WglSearch#MAX_STATES}
 * @param window              the failing op, ops concurrent with it and the tail of the prefix,
 *                            ordered by invocation; bounded by {@link LinearOptions#maxWindowOps()}
 * @param description         one human-readable paragraph, with a diagnosis when one is evident
 */
public record LinearViolation(String key, Op failingOp, int linearizedPrefixOps, List<String> possibleValues,
                              List<WindowOp> window, String description) {

    public LinearViolation {
        // Not List.copyOf: a possible value may be null (absent).
        possibleValues = Collections.unmodifiableList(new ArrayList<>(possibleValues));
        window = List.copyOf(window);
    }

    /** What an op in the window is to the failing point. */
    public enum Role {
        /** The op that cannot be placed. */
        FAILING,
        /** Part of the longest linearization found, at position {@link WindowOp#linearizedAt()}. */
        LINEARIZED,
        /** Considered by the search but not part of that linearization. */
        PENDING,
        /** Not considered by the search (a FAIL op), shown because the diagnosis cites it. */
        DROPPED
    }

    /**
     * One op of the window.
     *
     * @param linearizedAt 1-based position in the longest linearization, or 0 when not in it
     * @param concurrent   its interval overlaps the failing op's (unknown writes extend to +infinity)
     */
    public record WindowOp(Op op, Role role, int linearizedAt, boolean concurrent) {

        public Map<String, Object> toJson() {
            Map<String, Object> m = op.toJson();
            m.put("role", role.name().toLowerCase(Locale.ROOT));
            m.put("linearized_at", linearizedAt == 0 ? null : linearizedAt);
            m.put("concurrent", concurrent);
            return m;
        }
    }

    /** Ids of the window's ops, in window order; handy in tests and logs. */
    public List<Long> windowIds() {
        return window.stream().map(w -> w.op().id()).toList();
    }

    /** A JSON-friendly view (String/Number/Boolean/List/Map/null only) with snake_case keys. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("description", description);
        m.put("failing_op", failingOp.toJson());
        m.put("linearized_prefix_ops", linearizedPrefixOps);
        m.put("possible_values", possibleValues);
        List<Map<String, Object>> ops = new ArrayList<>();
        window.forEach(w -> ops.add(w.toJson()));
        m.put("window", ops);
        return m;
    }
}
