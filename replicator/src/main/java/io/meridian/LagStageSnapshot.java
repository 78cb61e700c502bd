package io.meridian;

/**
 * One stage of the replication lag from one origin region, measured on this node while it led its
 * region and applied the origin's batches (microseconds, one sample per batch, taken for the
 * batch's oldest entry). The stages, in order, add up to {@code total}:
 * {@code origin} (proposed at the origin → read from its WAL by the shipper), {@code batching}
 * (→ frame sent), {@code network} (→ received here), {@code remote_commit} (→ committed by this
 * region's Raft group), {@code apply} (→ applied here).
 *
 * @param stage  the stage's name
 * @param count  batches measured
 */
public record LagStageSnapshot(String stage, long count, long p50Micros, long p90Micros, long p99Micros,
                               long p999Micros, long maxMicros) {
}
