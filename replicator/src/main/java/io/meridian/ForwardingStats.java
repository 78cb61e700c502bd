package io.meridian;

import java.util.Map;

/**
 * Write (and read-index) forwarding as seen by one node, since it started.
 *
 * @param forwarded         requests this node forwarded to the primary region's leader
 * @param succeeded         of those, answered with success
 * @param latencyTotalNanos summed round trips of the answered ones (forward to answer, any outcome)
 * @param latencyCount      answered requests the sum covers
 * @param latencyMaxNanos   the longest of them
 * @param failures          failed forwards by reason: {@code no_leader} (primary leader unknown here),
 *                          {@code outbox_full}, {@code refused} (the leader refused: not applied),
 *                          {@code unknown} (the leader reported an unknown outcome), {@code timeout}
 *                          (no answer in time: outcome unknown)
 * @param served            requests other nodes forwarded to this node
 */
public record ForwardingStats(long forwarded, long succeeded, long latencyTotalNanos, long latencyCount,
                              long latencyMaxNanos, Map<String, Long> failures, long served) {

    /** The failure reasons, in the order metrics list them. */
    public static final java.util.List<String> REASONS = java.util.List.of("no_leader", "outbox_full", "refused",
            "unknown", "timeout");

    public ForwardingStats {
        failures = Map.copyOf(failures);
    }
}
