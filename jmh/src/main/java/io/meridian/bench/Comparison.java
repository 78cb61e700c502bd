package io.meridian.bench;

import java.util.List;

/**
 * One table of docs/benchmarks.md: a Meridian metric next to the baseline measured in the same run.
 *
 * @param block    name of the {@code <!-- BEGIN:block -->} section the table is written into
 * @param title    what the table shows
 * @param baseline metric id of the baseline (see {@link JmhMetric#id()})
 * @param meridian metric id of Meridian
 */
record Comparison(String block, String title, String baseline, String meridian) {

    /** Every comparison the benchmarks of this module produce. */
    static final List<Comparison> ALL = List.of(
            new Comparison("wal-append", "WAL append throughput: raw Chronicle Queue vs Meridian ChronicleWal",
                    "WalBenchmark.rawAppend", "WalBenchmark.meridianAppend"),
            new Comparison("wal-tail", "WAL append then tail-read latency (same thread)",
                    "WalBenchmark.rawAppendToTail", "WalBenchmark.meridianAppendToTail"),
            new Comparison("transport", "Batch shipping over UDP loopback, entries/s (100 entries per batch)",
                    "TransportBenchmark.rawOffer", "TransportBenchmark.meridianShip"),
            new Comparison("region-commit", "3-node region commit rate: raw SOFAJRaft vs Meridian Replicator + KV",
                    "RegionCommitBenchmark.rawJraftCommit", "RegionCommitBenchmark.meridianCommit"),
            new Comparison("e2e-rate", "2 regions x 3 nodes: remote-region apply rate vs primary commit rate",
                    "EndToEndBenchmark.replicate:primaryCommitted", "EndToEndBenchmark.replicate:remoteApplied"),
            new Comparison("e2e-latency", "2 regions x 3 nodes: write-to-primary-commit vs write-to-remote-apply latency",
                    "EndToEndBenchmark.primaryCommitLatency", "EndToEndBenchmark.remoteApplyLatency"));
}
