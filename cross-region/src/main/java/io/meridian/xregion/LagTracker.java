package io.meridian.xregion;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replication lag and volume towards one remote region. The agent thread records; any thread (health
 * checks, metrics) takes {@link #snapshot()}s. Recording is wait-free ({@link Recorder}); snapshots
 * fold the recorder's intervals into a cumulative histogram under this object's lock.
 *
 * <p>Lag is commit→apply in milliseconds, tracked from 0 to one hour; larger values (a remote down
 * for longer) are recorded as one hour and counted in {@link Snapshot#clampedSamples()}, and negative
 * ones (clock skew between regions) as 0.
 */
public final class LagTracker {

    /** Largest lag tracked exactly. */
    public static final long MAX_LAG_MILLIS = TimeUnit.HOURS.toMillis(1);

    private final String remoteRegion;
    private final Recorder recorder = new Recorder(MAX_LAG_MILLIS, 3);
    private final AtomicLong clampedSamples = new AtomicLong();
    private final AtomicLong bytesShipped = new AtomicLong();
    private final AtomicLong batchesShipped = new AtomicLong();
    private final AtomicLong entriesShipped = new AtomicLong();
    private Histogram cumulative = new Histogram(MAX_LAG_MILLIS, 3);
    private Histogram interval;

    public LagTracker(String remoteRegion) {
        this.remoteRegion = remoteRegion;
    }

    /** Records one commit→apply lag sample. */
    public void recordLagMillis(long lagMillis) {
        long value = lagMillis;
        if (value < 0) {
            value = 0;
            clampedSamples.incrementAndGet();
        } else if (value > MAX_LAG_MILLIS) {
            value = MAX_LAG_MILLIS;
            clampedSamples.incrementAndGet();
        }
        recorder.recordValue(value);
    }

    /** Records one batch handed to the transport (resends included: this measures the link, not progress). */
    public void recordBatchShipped(int entries, int bytes) {
        batchesShipped.incrementAndGet();
        entriesShipped.addAndGet(entries);
        bytesShipped.addAndGet(bytes);
    }

    /** Lag percentiles since creation (or the last {@link #reset()}) and the shipping counters. */
    public synchronized Snapshot snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        cumulative.add(interval);
        return new Snapshot(remoteRegion, cumulative.getTotalCount(),
                cumulative.getValueAtPercentile(50.0), cumulative.getValueAtPercentile(99.0),
                cumulative.getValueAtPercentile(99.9), cumulative.getMaxValue(), clampedSamples.get(),
                bytesShipped.get(), batchesShipped.get(), entriesShipped.get());
    }

    private Snapshot cached;
    private long cachedAtNanos;

    /**
     * Like {@link #snapshot()}, but reuses percentiles computed less than {@code maxAgeNanos} ago
     * (the counters are always current). Folding the recorder and walking the histogram costs tens of
     * microseconds: a duty cycle publishing status thousands of times a second must not pay it each time.
     */
    public synchronized Snapshot snapshot(long nowNanos, long maxAgeNanos) {
        if (cached == null || nowNanos - cachedAtNanos >= maxAgeNanos) {
            cached = snapshot();
            cachedAtNanos = nowNanos;
            return cached;
        }
        Snapshot c = cached;
        return new Snapshot(remoteRegion, c.count(), c.p50Millis(), c.p99Millis(), c.p999Millis(), c.maxMillis(),
                clampedSamples.get(), bytesShipped.get(), batchesShipped.get(), entriesShipped.get());
    }

    /** Forgets lag samples (counters are monotonic and kept, so rates stay computable). */
    public synchronized void reset() {
        recorder.reset();
        cumulative = new Histogram(MAX_LAG_MILLIS, 3);
        cached = null;
    }

    /**
     * A consistent view of one region's lag. Percentiles are 0 when {@code count} is 0.
     */
    public record Snapshot(String remoteRegion, long count, long p50Millis, long p99Millis, long p999Millis,
                           long maxMillis, long clampedSamples, long bytesShipped, long batchesShipped,
                           long entriesShipped) { }
}
