package io.meridian.sim.check.linear;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One client operation on a single-key register, as the client saw it.
 *
 * <p>Times are nanoseconds on one clock shared by every client of the run (e.g. {@code System.nanoTime()}
 * of the simulator's JVM); only their order matters. An operation that never completed has
 * {@code completeNanos == }{@link #NEVER}.
 *
 * @param id            identifies the op in reports; unique within a history
 * @param client        the client (thread / session) that issued it
 * @param key           the register
 * @param kind          READ or WRITE
 * @param value         WRITE: the value written; READ: the value observed, null when the key was absent
 * @param invokeNanos   when the client sent it
 * @param completeNanos when the client learnt its outcome, or {@link #NEVER}
 * @param outcome       OK, FAIL (definitely had no effect) or UNKNOWN (may have had an effect)
 * @param region        who served it: a region, or a node id when the workload wants per-node scopes
 *                      (the linearizability checker ignores it; secondary-read checks group by it)
 */
public record Op(long id, String client, String key, Kind kind, String value, long invokeNanos,
                 long completeNanos, Outcome outcome, String region) {

    /** Completion time of an operation whose outcome never came back. */
    public static final long NEVER = Long.MAX_VALUE;

    public enum Kind { READ, WRITE }

    /**
     * How an operation ended. FAIL must only be used when the op certainly did not take effect
     * (refused before entering the log); anything else that is not an acknowledgement is UNKNOWN.
     */
    public enum Outcome { OK, FAIL, UNKNOWN }

    public Op {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.OK && completeNanos == NEVER) {
            throw new IllegalArgumentException("op " + id + " is OK but never completed");
        }
        if (completeNanos < invokeNanos) {
            throw new IllegalArgumentException("op " + id + " completes at " + completeNanos
                    + " before its invocation at " + invokeNanos);
        }
    }

    public static Op write(long id, String client, String key, String value, long invokeNanos, long completeNanos,
                           Outcome outcome, String region) {
        return new Op(id, client, key, Kind.WRITE, value, invokeNanos, completeNanos, outcome, region);
    }

    public static Op read(long id, String client, String key, String observed, long invokeNanos, long completeNanos,
                          Outcome outcome, String region) {
        return new Op(id, client, key, Kind.READ, observed, invokeNanos, completeNanos, outcome, region);
    }

    public boolean isRead() {
        return kind == Kind.READ;
    }

    public boolean isWrite() {
        return kind == Kind.WRITE;
    }

    public boolean completed() {
        return completeNanos != NEVER;
    }

    /** "#7 c2 WRITE k1='v' [100, 250] OK @eu", the form used in violation descriptions. */
    public String describe() {
        String end = completed() ? Long.toString(completeNanos) : "never";
        return "#" + id + " " + client + " " + kind + " " + key + "=" + quote(value) + " [" + invokeNanos + ", "
                + end + "] " + outcome + (region == null ? "" : " @" + region);
    }

    /** A JSON-friendly view with the snake_case keys report.json uses; {@code complete_ns} is null when never. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("client", client);
        m.put("key", key);
        m.put("kind", kind.name());
        m.put("value", value);
        m.put("invoke_ns", invokeNanos);
        m.put("complete_ns", completed() ? completeNanos : null);
        m.put("outcome", outcome.name());
        m.put("region", region);
        return m;
    }

    static String quote(String value) {
        return value == null ? "<absent>" : "'" + value + "'";
    }
}
