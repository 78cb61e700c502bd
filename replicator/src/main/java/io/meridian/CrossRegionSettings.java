package io.meridian;

import java.time.Duration;

/**
 * Settings for shipping between regions and for failover. Defaults suit a WAN of tens of
 * milliseconds; tests shorten the timeouts.
 */
public final class CrossRegionSettings {

    private int maxBatchEntries = 100;
    private int maxBatchBytes = 64 * 1024;
    private Duration linger = Duration.ofMillis(5);
    private int compressThresholdBytes = 1024;
    private int maxInFlightBatches = 16;
    private int maxInFlightBytes = 4 * 1024 * 1024;
    private Duration ackTimeout = Duration.ofSeconds(2);
    private Duration handshakeTimeout = Duration.ofSeconds(1);
    private Duration lease = Duration.ZERO;
    private Duration leaseMargin = Duration.ofMillis(300);
    private Duration switchoverTimeout = Duration.ofSeconds(10);
    private String divergentTailDir;
    private long imageBytesPerSecond = 16L * 1024 * 1024;
    private java.util.function.Function<String, String> endpointMapper = java.util.function.Function.identity();

    public CrossRegionSettings maxBatchEntries(int v) {
        this.maxBatchEntries = v;
        return this;
    }

    public CrossRegionSettings maxBatchBytes(int v) {
        this.maxBatchBytes = v;
        return this;
    }

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
     * Primary lease: a primary that cannot reach a majority of voters (regions + witness) for this
     * long stops admitting writes. {@link Duration#ZERO} (the default) disables the lease and accepts
     * the split-brain risk described in docs/operations.md.
     */
    public CrossRegionSettings lease(Duration v) {
        this.lease = v;
        return this;
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
            throw new IllegalArgumentException("lease must be >= 0: " + lease);
        }
        if (leaseMargin == null || leaseMargin.isNegative()) {
            throw new IllegalArgumentException("leaseMargin must be >= 0: " + leaseMargin);
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
