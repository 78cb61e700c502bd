package io.meridian.sim.check.linear;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks that a history of single-key register operations is linearizable.
 *
 * <p>Feed it the ops that promise linearizability: writes, and reads served by the primary's
 * linearizable read path. Stale reads from secondaries are not linearizable by design; check them
 * with {@link SecondaryReadChecker} instead.
 *
 * <p>Each key is checked on its own (a history of independent registers is linearizable iff each
 * register's sub-history is), by a Wing–Gong–Lowe search ({@link WglSearch}). Rules:
 * <ul>
 *   <li>OK ops take effect exactly once, between their invocation and completion;</li>
 *   <li>FAIL ops never take effect and are ignored;</li>
 *   <li>UNKNOWN writes take effect at some time after their invocation, or never;</li>
 *   <li>UNKNOWN reads are ignored: their result never reached a client;</li>
 *   <li>a key starts absent (null) unless {@link LinearOptions#initialValues()} says otherwise.</li>
 * </ul>
 *
 * <p>Pure and stateless: no threads, clocks or I/O. Keys are independent, so a caller wanting
 * parallelism can group by key and call {@link #checkKey} concurrently.
 */
public final class LinearChecker {

    private LinearChecker() {
    }

    public static LinearResult check(Collection<Op> history) {
        return check(history, LinearOptions.defaults());
    }

    public static LinearResult check(Collection<Op> history, LinearOptions options) {
        return check(history, options, Long.MAX_VALUE);
    }

    /**
     * As {@link #check(Collection, LinearOptions)}, but once {@code maxTotalSteps} search steps have
     * been spent over all keys, the keys not yet searched are not searched and count as UNKNOWN: a
     * whole run's check stays bounded in time even when many keys are pathological.
     */
    public static LinearResult check(Collection<Op> history, LinearOptions options, long maxTotalSteps) {
        // TreeMap: violations come out in a stable order, whatever order the clients logged in.
        Map<String, List<Op>> byKey = new TreeMap<>();
        for (Op op : history) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        Verdict verdict = Verdict.OK;
        long checked = 0;
        long steps = 0;
        List<LinearViolation> violations = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
            if (steps >= maxTotalSteps) {
                verdict = verdict.and(Verdict.UNKNOWN);
                unknown.add(e.getKey());
                continue;
            }
            KeyResult r = checkKey(e.getKey(), e.getValue(), options);
            verdict = verdict.and(r.verdict());
            checked += r.checkedOps();
            steps += r.steps();
            if (r.verdict() == Verdict.VIOLATION) {
                violations.add(r.violation());
            } else if (r.verdict() == Verdict.UNKNOWN) {
                unknown.add(r.key());
            }
        }
        return new LinearResult(verdict, history.size(), byKey.size(), checked, steps, violations, unknown);
    }

    /** Checks the ops of one key (every op must be on {@code key}). */
    public static KeyResult checkKey(String key, List<Op> ops, LinearOptions options) {
        return checkKey(KeyHistory.prepare(key, ops, options.initialValue(key)), options);
    }

    static KeyResult checkKey(KeyHistory h, LinearOptions options) {
        WglSearch.Result r = WglSearch.run(h, options.maxStepsPerKey());
        return switch (r.status()) {
            case LINEARIZABLE -> new KeyResult(h.key, Verdict.OK, h.input.size(), h.size(), r.steps(), null);
            case GAVE_UP -> new KeyResult(h.key, Verdict.UNKNOWN, h.input.size(), h.size(), r.steps(), null);
            case VIOLATION -> new KeyResult(h.key, Verdict.VIOLATION, h.input.size(), h.size(), r.steps(),
                    WindowBuilder.build(h, r, options.maxWindowOps()));
        };
    }
}
