package io.meridian.sim.check.linear;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One thing a secondary read should not have shown.
 *
 * @param kind        what went wrong
 * @param key         the key read
 * @param region      the scope that served the read(s)
 * @param ops         the reads involved, earlier first (one or two)
 * @param description one human-readable sentence
 */
public record SecondaryAnomaly(Kind kind, String key, String region, List<Op> ops, String description) {

    public enum Kind {
        /** A client saw a value at a lower log index after one at a higher index, in the same scope. */
        NON_MONOTONIC_READ,
        /** A replica that had applied index N showed a value of the key older than a write at or below N. */
        PREFIX_GAP,
        /** A replica showed a value written at an index above everything it had applied. */
        FUTURE_VALUE,
        /** A read returned a value that no write of that key in the log carries. */
        UNKNOWN_VALUE
    }

    public SecondaryAnomaly {
        ops = List.copyOf(ops);
    }

    /** "KIND: description", in the style of the run checker's violation lines. */
    public String line() {
        return kind.name() + ": " + description;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.name().toLowerCase(Locale.ROOT));
        m.put("key", key);
        m.put("region", region);
        m.put("description", description);
        List<Map<String, Object>> list = new ArrayList<>();
        ops.forEach(op -> list.add(op.toJson()));
        m.put("ops", list);
        return m;
    }
}
