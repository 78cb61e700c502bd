package io.meridian.xregion;

import io.meridian.transport.FrameLimits;
import org.agrona.BitUtil;

/**
 * Tuning of cross-region shipping, in the style of an Aeron context: fluent setters, getters of the
 * same name, and {@link #conclude()} to validate once before use. After {@code conclude()} the
 * instance is frozen so that windows and accumulators sharing it never see it change under them.
 *
 * <p>Times are in nanoseconds of the caller's monotonic clock; sizes are in bytes of encoded entries
 * (see {@link BatchCodec#encodedSize}).
 *
 * <p>Frame limits are validated here and only here: a batch travels as one Aeron message, which is
 * at most {@code termLength / 8} bytes ({@link FrameLimits}). Both the byte limit of a batch and the
 * largest single entry (an entry larger than maxBatchBytes is shipped alone) must fit one frame;
 * when the term length is left at 0 it is sized to make them fit, otherwise a contradiction is
 * rejected, so an entry that admission accepted can always be shipped.
 */
public final class ShippingConfig {

    // The defaults, defined once (CrossRegionSettings, ReplicatorContext and, through them, the node
    // YAML use these; the table in docs/operations.md lists them).
    public static final int DEFAULT_MAX_BATCH_ENTRIES = 100;
    public static final int DEFAULT_MAX_BATCH_BYTES = 64 * 1024;
    /**
     * 0: a batch leaves whenever the shipper finds the WAL drained (smart batching; batches grow
     * while the window is full). A linger above 0 paces a steady stream to at most one batch per
     * linger, so remote regions commit fewer, larger Raft entries, at up to a linger of lag; no
     * throughput gain from 1 ms could be measured on a 2-core machine (docs/benchmarks.md), so the
     * default keeps the lowest lag.
     */
    public static final long DEFAULT_LINGER_NANOS = 0;
    public static final int DEFAULT_COMPRESS_THRESHOLD_BYTES = 1024;
    /**
     * Enough batches in flight for ~1,000 small batches per second across a 60 ms round trip before
     * batching kicks in; the byte limit bounds memory.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT_BATCHES = 64;
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 4L * 1024 * 1024;
    /** Unacknowledged batches are resent after this; several WAN round trips, so a slow link is not a dead one. */
    public static final long DEFAULT_ACK_TIMEOUT_NANOS = 2_000_000_000L;
    /** Ack timeouts in a row after which the stream is dropped and the shipper handshakes again. */
    public static final int DEFAULT_ACK_TIMEOUTS_BEFORE_RECONNECT = 2;
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_NANOS = 1_000_000_000L;
    public static final long DEFAULT_RECONNECT_BACKOFF_MIN_NANOS = 50_000_000L;
    public static final long DEFAULT_RECONNECT_BACKOFF_MAX_NANOS = 2_000_000_000L;
    /** Largest user payload of one entry (ReplicatorContext.maxPayloadBytes); sizes the Aeron term. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
    /** Messages queued to the agent thread (acks, rejects, pings, votes) before new ones are dropped. */
    public static final int DEFAULT_OUTBOX_CAPACITY = 4096;

    private int maxBatchEntries = DEFAULT_MAX_BATCH_ENTRIES;
    private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
    private long lingerNanos = DEFAULT_LINGER_NANOS;
    private int compressThresholdBytes = DEFAULT_COMPRESS_THRESHOLD_BYTES;
    private int maxInFlightBatches = DEFAULT_MAX_IN_FLIGHT_BATCHES;
    private long maxInFlightBytes = DEFAULT_MAX_IN_FLIGHT_BYTES;
    private long ackTimeoutNanos = DEFAULT_ACK_TIMEOUT_NANOS;
    private int ackTimeoutsBeforeReconnect = DEFAULT_ACK_TIMEOUTS_BEFORE_RECONNECT;
    private long handshakeTimeoutNanos = DEFAULT_HANDSHAKE_TIMEOUT_NANOS;
    private long reconnectBackoffMinNanos = DEFAULT_RECONNECT_BACKOFF_MIN_NANOS;
    private long reconnectBackoffMaxNanos = DEFAULT_RECONNECT_BACKOFF_MAX_NANOS;
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private int termLength;
    private int outboxCapacity = DEFAULT_OUTBOX_CAPACITY;
    /** 64 MiB terms carry 8 MiB frames; beyond that the /dev/shm cost should be a deliberate choice. */
    public static final int MAX_AUTO_TERM_LENGTH = 64 * 1024 * 1024;

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
        if (lingerNanos < 0) {
            throw new IllegalArgumentException("lingerNanos must be >= 0: " + lingerNanos);
        }
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
        requirePositive("maxPayloadBytes", maxPayloadBytes);
        requirePositive("outboxCapacity", outboxCapacity);
        concludeFrameLimits();
        concluded = true;
        return this;
    }

    private void concludeFrameLimits() {
        if (termLength == 0) {
            // Sized for the largest single entry only: a batch limit is a tuning knob and must fit in
            // that frame, not grow every publication's memory (3 terms each) behind the user's back.
            long needed = FrameLimits.termLengthFor(maxEntryBytes());
            if (needed > MAX_AUTO_TERM_LENGTH) {
                throw new IllegalArgumentException("maxPayloadBytes (" + maxPayloadBytes + ") needs an Aeron term of "
                        + needed + " bytes (3 per publication, in /dev/shm); at most " + MAX_AUTO_TERM_LENGTH
                        + " is sized automatically: lower maxPayloadBytes or set termLength explicitly");
            }
            termLength = (int) needed;
        }
        if (!BitUtil.isPowerOfTwo(termLength) || termLength < 64 * 1024 || termLength > FrameLimits.MAX_TERM_LENGTH) {
            throw new IllegalArgumentException("termLength must be a power of two in [64 KiB, 1 GiB]: " + termLength);
        }
        int frameBatchBytes = FrameLimits.maxBatchBytes(termLength);
        if (maxEntryBytes() > frameBatchBytes) {
            throw new IllegalArgumentException("maxPayloadBytes (" + maxPayloadBytes + ") exceeds what one frame of a "
                    + termLength + "-byte term carries (" + (frameBatchBytes - maxEntryBytes() + maxPayloadBytes)
                    + "); lower it or raise termLength");
        }
        if (maxBatchBytes > frameBatchBytes) {
            throw new IllegalArgumentException("maxBatchBytes (" + maxBatchBytes + ") exceeds what one frame of a "
                    + termLength + "-byte term carries (" + frameBatchBytes + "); lower it or raise termLength");
        }
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

    /**
     * The most the oldest entry of a batch waits for more entries, and the least time between two
     * batches while entries keep coming and earlier batches are in flight; 0 sends at once.
     */
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

    /** Largest payload admission accepts; one such entry, alone in a batch, must fit a frame. */
    public ShippingConfig maxPayloadBytes(int value) {
        checkMutable();
        maxPayloadBytes = value;
        return this;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /**
     * Largest encoded size of one WAL entry carrying a payload of maxPayloadBytes (region names are
     * at most 64 bytes; 256 leaves room).
     */
    public int maxEntryBytes() {
        return io.meridian.wal.ShippedEntryFormat.HEADER_LENGTH + 256 + maxPayloadBytes;
    }

    /**
     * Aeron term length of the node's publications; 0 (the default) sizes it on conclude() so one
     * entry of maxPayloadBytes fits one frame (1 MiB floor; 16 MiB for a 1 MiB payload limit; at
     * most {@link #MAX_AUTO_TERM_LENGTH}). maxBatchBytes must fit the same frame.
     */
    public ShippingConfig termLength(int value) {
        checkMutable();
        termLength = value;
        return this;
    }

    public int termLength() {
        return termLength;
    }

    /** Entries bytes of the largest batch one frame carries (after conclude()). */
    public int maxFrameBatchBytes() {
        return FrameLimits.maxBatchBytes(termLength);
    }

    /** Messages the agent's outbox holds at most before it drops new ones (see CrossRegionAgent). */
    public ShippingConfig outboxCapacity(int value) {
        checkMutable();
        outboxCapacity = value;
        return this;
    }

    public int outboxCapacity() {
        return outboxCapacity;
    }

    @Override
    public String toString() {
        return "ShippingConfig{maxBatchEntries=" + maxBatchEntries + ", maxBatchBytes=" + maxBatchBytes
                + ", lingerNanos=" + lingerNanos + ", compressThresholdBytes=" + compressThresholdBytes
                + ", maxInFlightBatches=" + maxInFlightBatches + ", maxInFlightBytes=" + maxInFlightBytes
                + ", ackTimeoutNanos=" + ackTimeoutNanos + ", ackTimeoutsBeforeReconnect=" + ackTimeoutsBeforeReconnect
                + ", handshakeTimeoutNanos=" + handshakeTimeoutNanos
                + ", reconnectBackoffMinNanos=" + reconnectBackoffMinNanos
                + ", reconnectBackoffMaxNanos=" + reconnectBackoffMaxNanos + ", maxPayloadBytes=" + maxPayloadBytes
                + ", termLength=" + termLength + ", outboxCapacity=" + outboxCapacity + "}";
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
