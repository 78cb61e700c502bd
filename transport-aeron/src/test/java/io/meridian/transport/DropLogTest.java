package io.meridian.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.transport.DropCounters.Reason;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DropLogTest {

    private final AtomicLong now = new AtomicLong(-5_000_000_000L);
    private final DropLog log = new DropLog(now::get, DropLog.DEFAULT_INTERVAL_NS);
    private final FrameHeader header =
        new FrameHeader(1, 4, 0, "eu", "n1", "127.0.0.1:1", 1, 1, 1, 60, 16);

    @Test
    void logsAtMostOncePerReasonPerSecond() {
        assertThat(log.onDrop(Reason.BAD_MAC, header)).isTrue();
        assertThat(log.onDrop(Reason.BAD_MAC, header)).isFalse();
        now.addAndGet(999_999_999L);
        assertThat(log.onDrop(Reason.BAD_MAC, header)).isFalse();
        now.addAndGet(1);
        assertThat(log.onDrop(Reason.BAD_MAC, header)).isTrue();
    }

    @Test
    void reasonsAreLimitedIndependently() {
        assertThat(log.onDrop(Reason.BAD_MAC, header)).isTrue();
        assertThat(log.onDrop(Reason.TRUNCATED, null)).isTrue();
        assertThat(log.onDrop(Reason.REPLAYED, header)).isTrue();
        assertThat(log.onDrop(Reason.TRUNCATED, null)).isFalse();
    }
}
