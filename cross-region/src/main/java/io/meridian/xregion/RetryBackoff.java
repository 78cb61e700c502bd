package io.meridian.xregion;

/**
 * Exponential backoff for a component that failed (a shipper, a timer): the first failure waits
 * {@code min}, each further consecutive failure doubles the wait up to {@code max}, and a success
 * resets it. Pure: time is passed in; single-threaded (the agent thread).
 */
final class RetryBackoff {

    private final long minNanos;
    private final long maxNanos;
    private long currentNanos;
    private long retryAtNanos;
    private boolean waiting;

    RetryBackoff(long minNanos, long maxNanos) {
        if (minNanos <= 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("need 0 < min <= max: " + minNanos + ", " + maxNanos);
        }
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
    }

    /** Records a failure at {@code nowNanos}; returns how long to wait before the next try. */
    long onFailure(long nowNanos) {
        currentNanos = currentNanos == 0 ? minNanos : Math.min(maxNanos, currentNanos * 2);
        retryAtNanos = nowNanos + currentNanos;
        waiting = true;
        return currentNanos;
    }

    /** Forgets past failures (the component made progress). */
    void onSuccess() {
        currentNanos = 0;
        waiting = false;
    }

    /** True while the wait after the last failure has not elapsed. */
    boolean isWaiting(long nowNanos) {
        if (waiting && nowNanos - retryAtNanos >= 0) {
            waiting = false;
        }
        return waiting;
    }
}
