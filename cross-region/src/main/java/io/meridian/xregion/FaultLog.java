package io.meridian.xregion;

import io.meridian.transport.LogRateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts and logs the faults the agent survives, by reason (the label of the
 * {@code meridian.xregion.errors} metric). Each reason is logged with its context the first time
 * and then at most every 10 s with the count of the occurrences in between, so a fault repeating on
 * every duty cycle costs a counter increment, not a log line. Thread-safe; counts readable anywhere.
 */
public final class FaultLog {

    /** Reasons, a fixed vocabulary so metric labels stay bounded. */
    public static final String SHIPPER = "shipper";
    public static final String WAL_CORRUPT = "wal_corrupt";
    public static final String OVERSIZED_ENTRY = "oversized_entry";
    public static final String DISPATCH = "dispatch";
    public static final String TIMER = "timer";
    public static final String TRANSPORT = "transport";
    public static final String OUTBOX_SEND = "outbox_send";
    public static final String OUTBOX_FULL = "outbox_full";
    /** A queued message dropped after 1 s of back-pressure or not-connected. */
    public static final String OUTBOX_EXPIRED = "outbox_expired";

    private static final Logger LOG = LoggerFactory.getLogger(FaultLog.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final LogRateLimiter limiter = new LogRateLimiter(LOG_INTERVAL_NANOS);
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /**
     * Counts one fault and logs it unless rate-limited.
     *
     * @param reason  one of the constants (metric label)
     * @param context who failed, e.g. "shipper to region b"; part of the rate-limit key
     * @param error   the cause, logged with its stack trace the first time only
     */
    public void record(String reason, String context, Throwable error, long nowNanos) {
        counts.computeIfAbsent(reason, r -> new LongAdder()).increment();
        long suppressed = limiter.admit(reason + '|' + context, nowNanos);
        if (suppressed == LogRateLimiter.SUPPRESS) {
            return;
        }
        if (suppressed == 0) {
            LOG.error("{} failed ({}): {}", context, reason, String.valueOf(error), error);
        } else {
            LOG.error("{} failed ({}) {} more times in the last 10 s; latest: {}", context, reason, suppressed,
                    String.valueOf(error));
        }
    }

    /** Counts one occurrence without logging (the caller logs, or it is not worth a line). */
    public void count(String reason) {
        counts.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Counts by reason, in a fresh map. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((reason, n) -> out.put(reason, n.sum()));
        return out;
    }
}
