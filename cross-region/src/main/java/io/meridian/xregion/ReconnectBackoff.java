package io.meridian.xregion;

/** Exponential delay between failed connection attempts: min, 2·min, 4·min … capped at max. */
final class ReconnectBackoff {

    private final long minNanos;
    private final long maxNanos;
    private long nextNanos;

    ReconnectBackoff(long minNanos, long maxNanos) {
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.nextNanos = minNanos;
    }

    /** The delay to wait now; the one after it doubles. */
    long next() {
        final long delay = nextNanos;
        // Compare before doubling so a large max cannot overflow into a negative delay.
        nextNanos = delay > maxNanos / 2 ? maxNanos : Math.min(maxNanos, delay * 2);
        return delay;
    }

    /** After a success the next failure starts again from the minimum. */
    void reset() {
        nextNanos = minNanos;
    }
}
