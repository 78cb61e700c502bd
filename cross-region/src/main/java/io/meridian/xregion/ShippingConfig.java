package io.meridian.xregion;

/**
 * Tuning of cross-region shipping, in the style of an Aeron context: fluent setters, getters of the
 * same name, and {@link #conclude()} to validate once before use. After {@code conclude()} the
 * instance is frozen so that windows and accumulators sharing it never see it change under them.
 *
 * <p>Times are in nanoseconds of the caller's monotonic clock; sizes are in bytes of encoded entries
 * (see {@link BatchCodec#encodedSize}).
 */
public final class ShippingConfig {

    private int maxBatchEntries = 100;
    private int maxBatchBytes = 64 * 1024;
    private long lingerNanos = 5_000_000L;
    private int compressThresholdBytes = 1024;
    private int maxInFlightBatches = 16;
    private long maxInFlightBytes = 4L * 1024 * 1024;
    private long ackTimeoutNanos = 2_000_000_000L;
    private int ackTimeoutsBeforeReconnect = 2;
    private long handshakeTimeoutNanos = 1_000_000_000L;
    private long reconnectBackoffMinNanos = 50_000_000L;
    private long reconnectBackoffMaxNanos = 2_000_000_000L;

    private boolean concluded;

    /**
     * Validates every field and freezes the configuration. Idempotent.
     *
     * @return this
     * @throws IllegalArgumentException naming the first invalid field
     */
    public ShippingConfig conclude() {
        if (concluded) {
            return this;
        }
        requirePositive("maxBatchEntries", maxBatchEntries);
        requirePositive("maxBatchBytes", maxBatchBytes);
        requirePositive("lingerNanos", lingerNanos);
        if (compressThresholdBytes < 0) {
            throw new IllegalArgumentException("compressThresholdBytes must be >= 0: " + compressThresholdBytes);
        }
        requirePositive("maxInFlightBatches", maxInFlightBatches);
        requirePositive("maxInFlightBytes", maxInFlightBytes);
        if (maxInFlightBytes < maxBatchBytes) {
            // Otherwise a full batch could never be pipelined behind another one.
            throw new IllegalArgumentException("maxInFlightBytes (" + maxInFlightBytes
                    + ") must be >= maxBatchBytes (" + maxBatchBytes + ")");
        }
        requirePositive("ackTimeoutNanos", ackTimeoutNanos);
        requirePositive("ackTimeoutsBeforeReconnect", ackTimeoutsBeforeReconnect);
        requirePositive("handshakeTimeoutNanos", handshakeTimeoutNanos);
        requirePositive("reconnectBackoffMinNanos", reconnectBackoffMinNanos);
        requirePositive("reconnectBackoffMaxNanos", reconnectBackoffMaxNanos);
        if (reconnectBackoffMinNanos > reconnectBackoffMaxNanos) {
            throw new IllegalArgumentException("reconnectBackoffMinNanos (" + reconnectBackoffMinNanos
                    + ") must be <= reconnectBackoffMaxNanos (" + reconnectBackoffMaxNanos + ")");
        }
        concluded = true;
        return this;
    }

    public boolean isConcluded() {
        return concluded;
    }

    /** Entries per batch at most (the batch closes when reached). */
    public ShippingConfig maxBatchEntries(int value) {
        checkMutable();
        maxBatchEntries = value;
        return this;
    }

    public int maxBatchEntries() {
        return maxBatchEntries;
    }

    /** Encoded bytes per batch at most; a single entry larger than this is shipped alone. */
    public ShippingConfig maxBatchBytes(int value) {
        checkMutable();
        maxBatchBytes = value;
        return this;
    }

    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** How long the oldest entry of a batch may wait for more entries before the batch is closed. */
    public ShippingConfig lingerNanos(long value) {
        checkMutable();
        lingerNanos = value;
        return this;
    }

    public long lingerNanos() {
        return lingerNanos;
    }

    /** Batches whose encoded size is strictly above this are LZ4-compressed; 0 compresses all. */
    public ShippingConfig compressThresholdBytes(int value) {
        checkMutable();
        compressThresholdBytes = value;
        return this;
    }

    public int compressThresholdBytes() {
        return compressThresholdBytes;
    }

    /** Sent but unacknowledged batches at most; also bounds the window's bookkeeping. */
    public ShippingConfig maxInFlightBatches(int value) {
        checkMutable();
        maxInFlightBatches = value;
        return this;
    }

    public int maxInFlightBatches() {
        return maxInFlightBatches;
    }

    /** Sent but unacknowledged bytes at most (one batch is always allowed when nothing is in flight). */
    public ShippingConfig maxInFlightBytes(long value) {
        checkMutable();
        maxInFlightBytes = value;
        return this;
    }

    public long maxInFlightBytes() {
        return maxInFlightBytes;
    }

    /** How long the oldest unacknowledged batch may wait for its ack before the window rewinds. */
    public ShippingConfig ackTimeoutNanos(long value) {
        checkMutable();
        ackTimeoutNanos = value;
        return this;
    }

    public long ackTimeoutNanos() {
        return ackTimeoutNanos;
    }

    /**
     * Consecutive ack timeouts without any ack progress after which the stream is considered dead
     * and the window re-handshakes (the first ones only rewind and resend).
     */
    public ShippingConfig ackTimeoutsBeforeReconnect(int value) {
        checkMutable();
        ackTimeoutsBeforeReconnect = value;
        return this;
    }

    public int ackTimeoutsBeforeReconnect() {
        return ackTimeoutsBeforeReconnect;
    }

    /** How long to wait for a handshake reply before trying the next endpoint. */
    public ShippingConfig handshakeTimeoutNanos(long value) {
        checkMutable();
        handshakeTimeoutNanos = value;
        return this;
    }

    public long handshakeTimeoutNanos() {
        return handshakeTimeoutNanos;
    }

    /** First delay before a reconnect attempt; doubles per failure up to the max. */
    public ShippingConfig reconnectBackoffMinNanos(long value) {
        checkMutable();
        reconnectBackoffMinNanos = value;
        return this;
    }

    public long reconnectBackoffMinNanos() {
        return reconnectBackoffMinNanos;
    }

    /** Cap of the reconnect delay. */
    public ShippingConfig reconnectBackoffMaxNanos(long value) {
        checkMutable();
        reconnectBackoffMaxNanos = value;
        return this;
    }

    public long reconnectBackoffMaxNanos() {
        return reconnectBackoffMaxNanos;
    }

    @Override
    public String toString() {
        return "ShippingConfig{maxBatchEntries=" + maxBatchEntries + ", maxBatchBytes=" + maxBatchBytes
                + ", lingerNanos=" + lingerNanos + ", compressThresholdBytes=" + compressThresholdBytes
                + ", maxInFlightBatches=" + maxInFlightBatches + ", maxInFlightBytes=" + maxInFlightBytes
                + ", ackTimeoutNanos=" + ackTimeoutNanos + ", ackTimeoutsBeforeReconnect=" + ackTimeoutsBeforeReconnect
                + ", handshakeTimeoutNanos=" + handshakeTimeoutNanos
                + ", reconnectBackoffMinNanos=" + reconnectBackoffMinNanos
                + ", reconnectBackoffMaxNanos=" + reconnectBackoffMaxNanos + "}";
    }

    private void checkMutable() {
        if (concluded) {
            throw new IllegalStateException("ShippingConfig is concluded and can no longer be changed");
        }
    }

    private static void requirePositive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0: " + value);
        }
    }
}
