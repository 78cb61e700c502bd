package io.meridian;

/**
 * Commit-at-origin to applied-here latency of the entries this node received from one other region
 * (milliseconds, this node's wall clock against the origin's), since the node started.
 *
 * @param originRegion the region the entries came from
 * @param count        entries measured
 * @param p50Millis    median
 * @param p99Millis    99th percentile
 * @param p999Millis   99.9th percentile
 * @param maxMillis    largest
 */
public record InboundLagSnapshot(String originRegion, long count, long p50Millis, long p99Millis, long p999Millis,
                                 long maxMillis) {
}
