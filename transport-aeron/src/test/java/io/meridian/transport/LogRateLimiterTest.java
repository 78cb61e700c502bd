package io.meridian.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LogRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void firstOccurrenceLogsThenOncePerIntervalWithTheSuppressedCount() {
        LogRateLimiter limiter = new LogRateLimiter(10 * SECOND);
        assertThat(limiter.admit("closed", 0)).isZero();
        for (int i = 1; i <= 1000; i++) {
            assertThat(limiter.admit("closed", i * 1_000_000L)).isEqualTo(LogRateLimiter.SUPPRESS);
        }
        assertThat(limiter.admit("closed", 10 * SECOND)).isEqualTo(1000);
        assertThat(limiter.admit("closed", 10 * SECOND + 1)).isEqualTo(LogRateLimiter.SUPPRESS);
        assertThat(limiter.admit("closed", 25 * SECOND)).isEqualTo(1);
    }

    @Test
    void keysAreLimitedIndependently() {
        LogRateLimiter limiter = new LogRateLimiter(SECOND);
        assertThat(limiter.admit("a", 0)).isZero();
        assertThat(limiter.admit("b", 1)).isZero();
        assertThat(limiter.admit("a", 2)).isEqualTo(LogRateLimiter.SUPPRESS);
    }
}
