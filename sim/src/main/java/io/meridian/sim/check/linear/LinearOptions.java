package io.meridian.sim.check.linear;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Knobs of the linearizability check.
 *
 * @param maxStepsPerKey search steps allowed for one key before its verdict becomes UNKNOWN; a
 *                       linearizable history needs about four steps per op, a pathological one
 *                       (many concurrent unknown writes) can need exponentially many
 * @param maxWindowOps   ops shown in a violation's window, the failing op included
 * @param initialValues  key to its value before the history began; keys not listed start absent (null)
 */
public record LinearOptions(long maxStepsPerKey, int maxWindowOps, Map<String, String> initialValues) {

    /**
     * About a second of search and, at worst, one cache entry per step (~130 bytes): bounds both the
     * time and the heap a pathological key can take. A linearizable key needs ~4 steps per op.
     */
    public static final long DEFAULT_MAX_STEPS_PER_KEY = 1_000_000;
    public static final int DEFAULT_MAX_WINDOW_OPS = 20;

    public LinearOptions {
        if (maxStepsPerKey <= 0) {
            throw new IllegalArgumentException("maxStepsPerKey must be positive: " + maxStepsPerKey);
        }
        if (maxWindowOps < 1) {
            throw new IllegalArgumentException("maxWindowOps must be at least 1: " + maxWindowOps);
        }
        // HashMap rather than Map.copyOf: a key may deliberately map to null (absent).
        initialValues = Collections.unmodifiableMap(new HashMap<>(initialValues));
    }

    public static LinearOptions defaults() {
        return new LinearOptions(DEFAULT_MAX_STEPS_PER_KEY, DEFAULT_MAX_WINDOW_OPS, Map.of());
    }

    public LinearOptions withMaxStepsPerKey(long steps) {
        return new LinearOptions(steps, maxWindowOps, initialValues);
    }

    public LinearOptions withMaxWindowOps(int ops) {
        return new LinearOptions(maxStepsPerKey, ops, initialValues);
    }

    public LinearOptions withInitialValues(Map<String, String> values) {
        return new LinearOptions(maxStepsPerKey, maxWindowOps, values);
    }

    public String initialValue(String key) {
        return initialValues.get(key);
    }
}
