package io.meridian.xregion;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the replication lag of one origin region goes, stage by stage, as seen by the receiving
 * region's leader. Every applied batch contributes one sample per stage, taken for the batch's
 * oldest entry (the one that waited longest, so the stages of one sample add up to that entry's
 * lag):
 *
 * <pre>
 *   proposed at origin ─ORIGIN─► read from the origin's WAL by the shipper ─BATCHING─► frame offered
 *   ─NETWORK─► frame handed to the receiver ─REMOTE_COMMIT─► committed here ─APPLY─► applied here
 * </pre>
 *
 * ORIGIN covers the origin's Raft commit, its WAL append and the shipper noticing the entry;
 * BATCHING the linger, the wait for window room and encoding; NETWORK the Aeron send, the WAN,
 * and the receiver's poll. The origin stamps are wall-clock (the entry's proposal time has 1 ms
 * resolution, the shipper's stamps 1 µs); the receiver's own stages use its monotonic clock. A
 * cross-host stage is only as exact as the hosts' clock sync: negative values (skew) count as 0.
 *
 * <p>The receiving agent and JRaft's apply thread record (wait-free); any thread takes snapshots.
 */
public final class LagAnatomy {

    /** The stages of one batch's trip, in order; {@link #TOTAL} is proposal to remote apply. */
    public enum Stage {
        ORIGIN("origin"), BATCHING("batching"), NETWORK("network"), REMOTE_COMMIT("remote_commit"),
        APPLY("apply"), TOTAL("total");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        /** The stage's name in reports and metrics. */
        public String label() {
            return label;
        }
    }

    /** Largest value tracked exactly: one hour, in µs. */
    public static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Map<Stage, Recorder> recorders = new EnumMap<>(Stage.class);
    private final Map<Stage, Histogram> cumulative = new EnumMap<>(Stage.class);
    private final Map<Stage, Histogram> intervals = new EnumMap<>(Stage.class);

    public LagAnatomy() {
        for (Stage s : Stage.values()) {
            recorders.put(s, new Recorder(MAX_MICROS, 3));
            cumulative.put(s, new Histogram(MAX_MICROS, 3));
        }
    }

    /**
     * Records one batch's trip. Times: {@code proposedMillis}, {@code readMicros}, {@code sentMicros}
     * and {@code receivedMicros} are wall-clock; {@code receivedNanos}, {@code committedNanos} and
     * {@code appliedNanos} are this host's {@link System#nanoTime()}. Origin stamps of 0 (a sender
     * that does not stamp) leave ORIGIN, BATCHING and NETWORK unrecorded; the other stages still count.
     */
    public void record(long proposedMillis, long readMicros, long sentMicros, long receivedMicros,
                       long receivedNanos, long committedNanos, long appliedNanos) {
        if (readMicros > 0 && sentMicros > 0) {
            put(Stage.ORIGIN, readMicros - proposedMillis * 1000);
            put(Stage.BATCHING, sentMicros - readMicros);
            put(Stage.NETWORK, receivedMicros - sentMicros);
        }
        if (committedNanos != 0) {
            put(Stage.REMOTE_COMMIT, (committedNanos - receivedNanos) / 1000);
            put(Stage.APPLY, (appliedNanos - committedNanos) / 1000);
        }
        put(Stage.TOTAL, receivedMicros + (appliedNanos - receivedNanos) / 1000 - proposedMillis * 1000);
    }

    private void put(Stage stage, long micros) {
        recorders.get(stage).recordValue(Math.max(0, Math.min(MAX_MICROS, micros)));
    }

    /** Percentiles per stage since creation, in µs. */
    public synchronized Map<Stage, StageSummary> snapshot() {
        Map<Stage, StageSummary> out = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            Histogram interval = recorders.get(s).getIntervalHistogram(intervals.get(s));
            intervals.put(s, interval);
            Histogram h = cumulative.get(s);
            h.add(interval);
            out.put(s, new StageSummary(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                    h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue()));
        }
        return out;
    }

    /** One stage's distribution in µs (0 when {@code count} is 0). */
    public record StageSummary(long count, long p50Micros, long p90Micros, long p99Micros, long p999Micros,
                               long maxMicros) { }

    /** Wall-clock time in µs since 1970 (Linux clocks give µs precision; stamps are compared across hosts). */
    public static long wallMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
