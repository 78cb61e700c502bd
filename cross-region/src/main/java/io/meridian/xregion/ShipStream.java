package io.meridian.xregion;

import java.util.List;

/**
 * The streaming half of a {@link ShipperWindow}: from one handshake to the loss of the stream, what
 * was shipped and acknowledged, which batches are in flight, the pause after an overload reject and
 * the gap being resent. The window owns the connection (endpoints, handshakes, backoff) and asks this
 * class only while STREAMING.
 *
 * <p>Indexes: {@code ackedIndex} is what the remote acknowledged as applied, {@code shippedIndex} the
 * last index sent (the tailer's position is {@code shippedIndex + 1}), {@code highestShippedIndex}
 * the highest sent since the handshake (a rewind does not lower it, so a late ack for entries sent
 * before the rewind is still recognised as genuine).
 *
 * <p>Pure (no clock, thread, logger or I/O) and not thread-safe.
 */
final class ShipStream {

    private static final long NONE = -1;

    private final ShippingConfig config;
    private final InFlightBatches inFlight;

    private long ackedIndex;
    private long shippedIndex;
    private long highestShippedIndex;
    private boolean paused;
    private long pausedUntilNanos;
    private long gapSeekIndex = NONE;
    private int consecutiveAckTimeouts;
    private long clampedAcks;

    ShipStream(ShippingConfig config) {
        this.config = config;
        this.inFlight = new InFlightBatches(config.maxInFlightBatches());
    }

    /**
     * A stream begins after a handshake: the remote's reported last index is authoritative, so this is
     * the one place {@code ackedIndex} may move back.
     */
    ShipperAction.SeekTailer begin(long remoteLastIndex) {
        clear();
        consecutiveAckTimeouts = 0;
        ackedIndex = remoteLastIndex;
        highestShippedIndex = remoteLastIndex;
        return rewindTo(remoteLastIndex + 1);
    }

    /** Forgets what is in flight, the pause and the gap being resent; the indexes stay. */
    void clear() {
        inFlight.clear();
        paused = false;
        gapSeekIndex = NONE;
    }

    /** See {@link ShipperWindow#onBatchSent}. */
    void onBatchSent(long firstIndex, long lastIndex, int bytes, long nowNanos) {
        if (firstIndex != shippedIndex + 1 || lastIndex < firstIndex || bytes < 0) {
            throw new IllegalArgumentException("batch " + firstIndex + ".." + lastIndex + " (" + bytes
                    + " bytes) does not continue at " + (shippedIndex + 1));
        }
        inFlight.add(lastIndex, bytes, nowNanos);
        shippedIndex = lastIndex;
        highestShippedIndex = Math.max(highestShippedIndex, lastIndex);
    }

    /** See {@link ShipperWindow#onAck}; counts a clamped ack in {@link #clampedAcks()}. */
    List<ShipperAction> onAck(long appliedIndex) {
        if (appliedIndex <= ackedIndex) {
            return List.of();
        }
        long acked = appliedIndex;
        if (acked > highestShippedIndex) {
            clampedAcks++;
            acked = highestShippedIndex;
            if (acked <= ackedIndex) {
                return List.of();
            }
        }
        ackedIndex = acked;
        inFlight.releaseUpTo(acked);
        consecutiveAckTimeouts = 0;
        if (gapSeekIndex != NONE && acked >= gapSeekIndex) {
            gapSeekIndex = NONE;
        }
        if (acked > shippedIndex) {
            // A late ack for batches sent before a rewind: skip resending what the remote already has.
            return List.of(rewindTo(acked + 1));
        }
        return List.of();
    }

    /**
     * A GAP reject expecting {@code expectedIndex}: resend from there once. Empty when that gap is
     * already being resent (batches sent before the rewind each report it; should the resend be lost
     * as well, the ack timeout resends again); {@code null} when the index lies outside what this
     * stream could have caused, which only a new handshake can sort out.
     */
    List<ShipperAction> onGap(long expectedIndex) {
        if (expectedIndex == gapSeekIndex) {
            return List.of();
        }
        if (!withinWindow(expectedIndex)) {
            return null;
        }
        gapSeekIndex = expectedIndex;
        return List.of(rewindTo(expectedIndex));
    }

    /** The receiver dropped a batch (OVERLOADED): pause until {@code untilNanos}, then resend from where it stands. */
    ShipperAction.SeekTailer onOverloaded(long expectedIndex, long untilNanos) {
        paused = true;
        pausedUntilNanos = untilNanos;
        return rewindTo(withinWindow(expectedIndex) ? expectedIndex : ackedIndex + 1);
    }

    /** Ends a pause that is over. */
    void tick(long nowNanos) {
        if (paused && nowNanos - pausedUntilNanos >= 0) {
            paused = false;
        }
    }

    /** Whether the oldest batch in flight waited an ack timeout. */
    boolean ackOverdue(long nowNanos) {
        return !inFlight.isEmpty() && nowNanos - inFlight.oldestSentNanos() >= config.ackTimeoutNanos();
    }

    /** Counts an ack timeout; returns how many happened in a row. */
    int countAckTimeout() {
        return ++consecutiveAckTimeouts;
    }

    /** Resends everything not acknowledged (after an ack timeout). */
    ShipperAction.SeekTailer resendUnacked() {
        gapSeekIndex = NONE;
        return rewindTo(ackedIndex + 1);
    }

    /** See {@link ShipperWindow#canSend}. */
    boolean canSend(int nextBatchBytes) {
        if (paused) {
            return false;
        }
        if (inFlight.isEmpty()) {
            return true;
        }
        return !inFlight.isFull() && inFlight.totalBytes() + nextBatchBytes <= config.maxInFlightBytes();
    }

    /** The earliest time {@link #tick} or an ack timeout may act, or {@link Long#MAX_VALUE}. */
    long nextDeadlineNanos() {
        long deadline = Long.MAX_VALUE;
        if (!inFlight.isEmpty()) {
            deadline = inFlight.oldestSentNanos() + config.ackTimeoutNanos();
        }
        if (paused && (deadline == Long.MAX_VALUE || pausedUntilNanos - deadline < 0)) {
            deadline = pausedUntilNanos;
        }
        return deadline;
    }

    /** The range a GAP reject may expect, for messages. */
    String window() {
        return (ackedIndex + 1) + ".." + (highestShippedIndex + 1);
    }

    long ackedIndex() {
        return ackedIndex;
    }

    long shippedIndex() {
        return shippedIndex;
    }

    long highestShippedIndex() {
        return highestShippedIndex;
    }

    int inFlightBatches() {
        return inFlight.size();
    }

    long inFlightBytes() {
        return inFlight.totalBytes();
    }

    long clampedAcks() {
        return clampedAcks;
    }

    private boolean withinWindow(long expectedIndex) {
        return expectedIndex > ackedIndex && expectedIndex <= highestShippedIndex + 1;
    }

    private ShipperAction.SeekTailer rewindTo(long index) {
        inFlight.clear();
        shippedIndex = index - 1;
        return new ShipperAction.SeekTailer(index);
    }
}
