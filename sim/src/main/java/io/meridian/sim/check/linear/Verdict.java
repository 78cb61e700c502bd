package io.meridian.sim.check.linear;

import java.util.Locale;

/**
 * Outcome of a linearizability check. UNKNOWN means the search budget ran out before a verdict:
 * it is never reported as OK, because an unfinished search proves nothing.
 */
public enum Verdict {
    OK, VIOLATION, UNKNOWN;

    /** "ok", "violation", "unknown" as report.json spells it. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The verdict of several independent checks: any violation wins, then any unknown. */
    public Verdict and(Verdict other) {
        if (this == VIOLATION || other == VIOLATION) {
            return VIOLATION;
        }
        return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : OK;
    }
}
