package io.meridian.sim.wan;

import java.time.Duration;
import java.util.Random;

/**
 * The emulated network between two regions in one direction ("eu->us"): delay, jitter, loss,
 * bandwidth cap and partition, plus the counters of what the link did.
 *
 * <p>Thread-safe: the fault injector changes conditions while the relay thread admits datagrams.
 * {@link #admit} is the single decision point so that loss and jitter draw from one seeded
 * {@link Random} in datagram order, which makes a run reproducible for a given seed and traffic.
 */
public final class LinkConditions {

    /** Past this many bytes waiting for delivery the link drops, like a router queue overflowing. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 64L * 1024 * 1024;

    private final String name;
    private final Random random;
    private final long maxQueuedBytes;

    private long delayNanos;
    private long jitterNanos;
    private double lossProbability;
    private long bandwidthBytesPerSecond;
    private boolean partitioned;

    /** When the emulated wire finishes serialising the last admitted datagram (bandwidth model). */
    private long wireFreeAtNanos = Long.MIN_VALUE;
    /** Delivery times never go backwards so a link does not reorder, even with jitter. */
    private long lastDeliveryAtNanos = Long.MIN_VALUE;
    private long queuedBytes;

    private long admitted;
    private long forwarded;
    private long droppedLoss;
    private long droppedPartition;
    private long droppedOverflow;
    private long droppedSendFailure;

    public LinkConditions(String name, long seed) {
        this(name, seed, DEFAULT_MAX_QUEUED_BYTES);
    }

    public LinkConditions(String name, long seed, long maxQueuedBytes) {
        if (maxQueuedBytes <= 0) {
            throw new IllegalArgumentException("maxQueuedBytes must be > 0: " + maxQueuedBytes);
        }
        this.name = name;
        this.random = new Random(seed);
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** The link's name, "from->to". */
    public String name() {
        return name;
    }

    public synchronized LinkConditions delay(Duration oneWayDelay) {
        requireNonNegative(oneWayDelay, "delay");
        this.delayNanos = oneWayDelay.toNanos();
        return this;
    }

    /** Uniform jitter in [-jitter, +jitter] added to the delay (the sum is clamped at zero). */
    public synchronized LinkConditions jitter(Duration jitter) {
        requireNonNegative(jitter, "jitter");
        this.jitterNanos = jitter.toNanos();
        return this;
    }

    public synchronized LinkConditions loss(double probability) {
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("loss probability must be in [0, 1]: " + probability);
        }
        this.lossProbability = probability;
        return this;
    }

    /** Bandwidth cap in bytes per second; 0 means unlimited. */
    public synchronized LinkConditions bandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth must be >= 0: " + bytesPerSecond);
        }
        this.bandwidthBytesPerSecond = bytesPerSecond;
        return this;
    }

    /** A partitioned link drops everything. */
    public synchronized LinkConditions partitioned(boolean partitioned) {
        this.partitioned = partitioned;
        return this;
    }

    /** Copies delay, jitter, loss, bandwidth and partition (not counters, not the random state). */
    public LinkConditions copyFrom(LinkConditions other) {
        Settings s = other.settings();
        synchronized (this) {
            delayNanos = s.delay().toNanos();
            jitterNanos = s.jitter().toNanos();
            lossProbability = s.loss();
            bandwidthBytesPerSecond = s.bandwidthBytesPerSecond();
            partitioned = s.partitioned();
        }
        return this;
    }

    public synchronized Settings settings() {
        return new Settings(Duration.ofNanos(delayNanos), Duration.ofNanos(jitterNanos), lossProbability,
                bandwidthBytesPerSecond, partitioned);
    }

    public synchronized boolean isPartitioned() {
        return partitioned;
    }

    /**
     * Decides the fate of one datagram entering the link at {@code nowNanos}.
     *
     * @return the {@link System#nanoTime()} at which to deliver it, or -1 when the link drops it; an
     *         admitted datagram counts as queued until {@link #delivered} or {@link #sendFailed}
     */
    public synchronized long admit(int bytes, long nowNanos) {
        if (partitioned) {
            droppedPartition++;
            return -1;
        }
        // Always draw both numbers so the random sequence depends only on the datagram count, not
        // on which settings were active: changing jitter mid-run does not reshuffle the loss pattern.
        double lossDraw = random.nextDouble();
        double jitterDraw = random.nextDouble();
        if (lossDraw < lossProbability) {
            droppedLoss++;
            return -1;
        }
        if (queuedBytes + bytes > maxQueuedBytes) {
            droppedOverflow++;
            return -1;
        }
        long departNanos = nowNanos;
        if (bandwidthBytesPerSecond > 0) {
            long startNanos = Math.max(nowNanos, wireFreeAtNanos);
            wireFreeAtNanos = startNanos + bytes * 1_000_000_000L / bandwidthBytesPerSecond;
            departNanos = wireFreeAtNanos;
        }
        long jitter = jitterNanos == 0 ? 0 : Math.round((jitterDraw * 2.0 - 1.0) * jitterNanos);
        long deliverAt = Math.max(lastDeliveryAtNanos, departNanos + Math.max(0, delayNanos + jitter));
        lastDeliveryAtNanos = deliverAt;
        queuedBytes += bytes;
        admitted++;
        return deliverAt;
    }

    /** An admitted datagram left the relay. */
    public synchronized void delivered(int bytes) {
        queuedBytes -= bytes;
        forwarded++;
    }

    /** An admitted datagram could not be sent (socket buffer full or channel closed). */
    public synchronized void sendFailed(int bytes) {
        queuedBytes -= bytes;
        droppedSendFailure++;
    }

    public synchronized LinkStats stats() {
        return new LinkStats(name, admitted, forwarded, droppedLoss, droppedPartition, droppedOverflow,
                droppedSendFailure, queuedBytes);
    }

    @Override
    public String toString() {
        return name + " " + settings();
    }

    private static void requireNonNegative(Duration d, String what) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must be >= 0: " + d);
        }
    }

    /** A snapshot of a link's conditions. */
    public record Settings(Duration delay, Duration jitter, double loss, long bandwidthBytesPerSecond,
                           boolean partitioned) { }
}
