package io.meridian;

import io.meridian.failover.FailoverConfig;
import io.meridian.xregion.ShippingConfig;

import java.time.Duration;

/**
 * Settings for shipping between regions and for failover. Defaults suit a WAN of tens of
 * milliseconds; tests shorten the timeouts.
 */
public final class CrossRegionSettings {

    /** Default batch linger: 0 (see {@link #linger}). */
    public static final Duration DEFAULT_LINGER = Duration.ofNanos(ShippingConfig.DEFAULT_LINGER_NANOS);
    /** Default number of batches in flight to one remote region. */
    public static final int DEFAULT_MAX_IN_FLIGHT_BATCHES = ShippingConfig.DEFAULT_MAX_IN_FLIGHT_BATCHES;
    // The other defaults, each defined once: shipping in ShippingConfig, failover in FailoverConfig,
    // the image transfer here. docs/operations.md ("Defaults") lists them all.
    public static final int DEFAULT_MAX_BATCH_ENTRIES = ShippingConfig.DEFAULT_MAX_BATCH_ENTRIES;
    public static final int DEFAULT_MAX_BATCH_BYTES = ShippingConfig.DEFAULT_MAX_BATCH_BYTES;
    public static final int DEFAULT_COMPRESS_THRESHOLD_BYTES = ShippingConfig.DEFAULT_COMPRESS_THRESHOLD_BYTES;
    public static final int DEFAULT_MAX_IN_FLIGHT_BYTES = (int) ShippingConfig.DEFAULT_MAX_IN_FLIGHT_BYTES;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofNanos(ShippingConfig.DEFAULT_ACK_TIMEOUT_NANOS);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofNanos(ShippingConfig.DEFAULT_HANDSHAKE_TIMEOUT_NANOS);
    /** Default primary lease (the one definition: {@link FailoverConfig#DEFAULT_LEASE_NANOS}). */
    public static final Duration DEFAULT_LEASE = Duration.ofNanos(FailoverConfig.DEFAULT_LEASE_NANOS);
    /** Default clock-drift allowance added to a lease wait. */
    public static final Duration DEFAULT_LEASE_MARGIN = Duration.ofNanos(FailoverConfig.DEFAULT_LEASE_MARGIN_NANOS);
    public static final Duration DEFAULT_SWITCHOVER_TIMEOUT = Duration.ofNanos(FailoverConfig.DEFAULT_SWITCHOVER_TIMEOUT_NANOS);
    /** Default throttle of state images sent to a rejoining or new region: 16 MiB/s. */
    public static final long DEFAULT_IMAGE_BYTES_PER_SECOND = 16L * 1024 * 1024;
    /** Default largest state image this node accepts: 1 GiB. */
    public static final long DEFAULT_MAX_IMAGE_BYTES = 1L << 30;

    private int maxBatchEntries = DEFAULT_MAX_BATCH_ENTRIES;
    private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
    private Duration linger = DEFAULT_LINGER;
    private int compressThresholdBytes = DEFAULT_COMPRESS_THRESHOLD_BYTES;
    private int maxInFlightBatches = DEFAULT_MAX_IN_FLIGHT_BATCHES;
    private int maxInFlightBytes = DEFAULT_MAX_IN_FLIGHT_BYTES;
    private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration lease = DEFAULT_LEASE;
    private Duration leaseMargin = DEFAULT_LEASE_MARGIN;
    private boolean unsafeNoFencing;
    private Duration switchoverTimeout = DEFAULT_SWITCHOVER_TIMEOUT;
    private String divergentTailDir;
    private long imageBytesPerSecond = DEFAULT_IMAGE_BYTES_PER_SECOND;
    private long maxImageBytes = DEFAULT_MAX_IMAGE_BYTES;
    private java.util.function.Function<String, String> endpointMapper = java.util.function.Function.identity();

    public CrossRegionSettings maxBatchEntries(int v) {
        this.maxBatchEntries = v;
        return this;
    }

    public CrossRegionSettings maxBatchBytes(int v) {
        this.maxBatchBytes = v;
        return this;
    }

    /**
     * The most an entry waits for more entries to share its batch, and the least time between two
     * batches while entries keep coming and earlier ones are in flight; a batch after a pause, or
     * with nothing in flight, leaves at once; each batch is one Raft entry in every remote region, so
     * pacing them saves those regions' commit work. Default 0: a batch leaves whenever the shipper
     * finds the WAL drained (batches still grow while the in-flight window is full).
     */
    public CrossRegionSettings linger(Duration v) {
        this.linger = v;
        return this;
    }

    public CrossRegionSettings compressThresholdBytes(int v) {
        this.compressThresholdBytes = v;
        return this;
    }

    public CrossRegionSettings maxInFlightBatches(int v) {
        this.maxInFlightBatches = v;
        return this;
    }

    public CrossRegionSettings maxInFlightBytes(int v) {
        this.maxInFlightBytes = v;
        return this;
    }

    public CrossRegionSettings ackTimeout(Duration v) {
        this.ackTimeout = v;
        return this;
    }

    public CrossRegionSettings handshakeTimeout(Duration v) {
        this.handshakeTimeout = v;
        return this;
    }

    /**
     * Primary lease (default 1.5 s): a primary that cannot reach a majority of voters (regions +
     * witness) for this long stops admitting writes and answering linearizable reads, and a promotion
     * waits this long plus {@link #leaseMargin} before the new primary takes writes. Longer leases
     * ride out longer voter hiccups; shorter ones shorten an unplanned promotion (RTO ≈ vote time +
     * lease + margin). It cannot be zero: turning fencing off takes {@link #unsafeNoFencing(boolean)}.
     */
    public CrossRegionSettings lease(Duration v) {
        this.lease = v;
        return this;
    }

    /**
     * UNSAFE: no lease, no promotion votes. A partitioned old primary keeps accepting writes that a
     * promotion will discard (split brain), and a promotion commits at once. Only for deployments
     * where something outside Meridian guarantees the old primary is down (STONITH). Logged as a
     * warning at start and reported by {@link Replicator#health()}.
     */
    public CrossRegionSettings unsafeNoFencing(boolean v) {
        this.unsafeNoFencing = v;
        return this;
    }

    public boolean unsafeNoFencing() {
        return unsafeNoFencing;
    }

    /** The lease in force: {@link #lease()} unless fencing was turned off with {@link #unsafeNoFencing}. */
    public Duration effectiveLease() {
        return unsafeNoFencing ? Duration.ZERO : lease;
    }

    /** Allowance for clock-rate drift between machines, added when waiting out a lease. */
    public CrossRegionSettings leaseMargin(Duration v) {
        this.leaseMargin = v;
        return this;
    }

    public CrossRegionSettings switchoverTimeout(Duration v) {
        this.switchoverTimeout = v;
        return this;
    }

    /** Where a rejoining old primary writes its divergent tail (default: dataDir/divergent). */
    public CrossRegionSettings divergentTailDir(String v) {
        this.divergentTailDir = v;
        return this;
    }

    /** Throttle for sending state images to a rejoining or bootstrapping region (bytes/s, 0 = unthrottled). */
    public CrossRegionSettings imageBytesPerSecond(long v) {
        this.imageBytesPerSecond = v;
        return this;
    }

    /**
     * Rewrites a remote node's Aeron endpoint into the address to send to. Identity by default; the
     * simulator maps endpoints to its WAN-emulating relays.
     */
    public CrossRegionSettings endpointMapper(java.util.function.Function<String, String> mapper) {
        this.endpointMapper = mapper;
        return this;
    }

    /**
     * Largest state image this node accepts when re-seeded (default 1 GiB). It is streamed to a file
     * under the data directory as it arrives, never held whole in memory in transit; one larger is
     * dropped, counted ({@code image_too_large} in {@link Replicator#crossRegionFaults()}) and requested
     * again only by the slow rejoin timer. Installing an image still reads it whole once.
     */
    public CrossRegionSettings maxImageBytes(long v) {
        this.maxImageBytes = v;
        return this;
    }

    public long maxImageBytes() {
        return maxImageBytes;
    }

    public long imageBytesPerSecond() {
        return imageBytesPerSecond;
    }

    public java.util.function.Function<String, String> endpointMapper() {
        return endpointMapper;
    }

    void conclude() {
        if (endpointMapper == null) {
            throw new IllegalArgumentException("endpointMapper must not be null");
        }
        if (maxImageBytes <= 0) {
            throw new IllegalArgumentException("maxImageBytes must be > 0: " + maxImageBytes);
        }
        positive("maxBatchEntries", maxBatchEntries);
        positive("maxBatchBytes", maxBatchBytes);
        positive("maxInFlightBatches", maxInFlightBatches);
        positive("maxInFlightBytes", maxInFlightBytes);
        if (compressThresholdBytes < 0) {
            throw new IllegalArgumentException("compressThresholdBytes must be >= 0");
        }
        if (maxInFlightBytes < maxBatchBytes) {
            throw new IllegalArgumentException("maxInFlightBytes (" + maxInFlightBytes + ") must be >= maxBatchBytes ("
                    + maxBatchBytes + ")");
        }
        for (Object[] d : new Object[][] {{"linger", linger}, {"ackTimeout", ackTimeout},
                {"handshakeTimeout", handshakeTimeout}, {"switchoverTimeout", switchoverTimeout}}) {
            Duration v = (Duration) d[1];
            if (v == null || v.isNegative() || (v.isZero() && !"linger".equals(d[0]))) {
                throw new IllegalArgumentException(d[0] + " must be a positive duration: " + v);
            }
        }
        if (lease == null || lease.isNegative()) {
            throw new IllegalArgumentException("lease must be > 0: " + lease);
        }
        if (lease.isZero() && !unsafeNoFencing) {
            throw new IllegalArgumentException("lease 0 would turn fencing off (a partitioned old primary could keep "
                    + "accepting writes that a promotion discards); keep the default lease, or set "
                    + "unsafeNoFencing(true) if something outside Meridian guarantees the old primary is down");
        }
        if (leaseMargin == null || leaseMargin.isNegative()) {
            throw new IllegalArgumentException("leaseMargin must be >= 0: " + leaseMargin);
        }
        if (!unsafeNoFencing && leaseMargin.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("leaseMargin (" + leaseMargin + ") must be smaller than lease (" + lease + ")");
        }
    }

    private static void positive(String field, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(field + " must be > 0: " + v);
        }
    }

    public int maxBatchEntries() {
        return maxBatchEntries;
    }

    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    public Duration linger() {
        return linger;
    }

    public int compressThresholdBytes() {
        return compressThresholdBytes;
    }

    public int maxInFlightBatches() {
        return maxInFlightBatches;
    }

    public int maxInFlightBytes() {
        return maxInFlightBytes;
    }

    public Duration ackTimeout() {
        return ackTimeout;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public Duration lease() {
        return lease;
    }

    public Duration leaseMargin() {
        return leaseMargin;
    }

    public Duration switchoverTimeout() {
        return switchoverTimeout;
    }

    public String divergentTailDir() {
        return divergentTailDir;
    }
}
