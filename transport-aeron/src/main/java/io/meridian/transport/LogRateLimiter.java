package io.meridian.transport;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides whether a repeated error may be logged now: the first occurrence of a key is logged at
 * once, later ones at most once per interval, each reporting how many were suppressed in between.
 * This is what keeps a failure that repeats on every duty cycle (a closed Aeron client, a publisher
 * that keeps throwing) from writing gigabytes of log.
 *
 * <p>Pure: time is passed in. Thread-safe (synchronized; errors are rare by definition). Keys are a
 * small fixed vocabulary (reason + component); the table is cleared if it ever grows past 1024.
 */
public final class LogRateLimiter {

    /** Returned by {@link #admit} when the occurrence must not be logged. */
    public static final long SUPPRESS = -1;
    private static final int MAX_KEYS = 1024;

    private final long intervalNanos;
    private final Map<String, long[]> keys = new HashMap<>(); // key -> {lastLoggedNanos, suppressed}

    public LogRateLimiter(long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("intervalNanos must be > 0: " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
    }

    /**
     * Records one occurrence of {@code key}.
     *
     * @return {@link #SUPPRESS} if it must not be logged, else the number of occurrences suppressed
     *         since the last one logged (0 the first time)
     */
    public synchronized long admit(String key, long nowNanos) {
        long[] s = keys.get(key);
        if (s == null) {
            if (keys.size() >= MAX_KEYS) {
                keys.clear();
            }
            keys.put(key, new long[] {nowNanos, 0});
            return 0;
        }
        if (nowNanos - s[0] < intervalNanos) {
            s[1]++;
            return SUPPRESS;
        }
        long suppressed = s[1];
        s[0] = nowNanos;
        s[1] = 0;
        return suppressed;
    }
}
