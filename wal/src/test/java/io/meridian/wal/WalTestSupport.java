package io.meridian.wal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/** Entries and configurations shared by the WAL tests. */
final class WalTestSupport {

    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private WalTestSupport() {
    }

    /** A settable clock, so tests roll cycles and age them without waiting. */
    static SetTimeProvider clock() {
        return new SetTimeProvider(START);
    }

    /** One-second roll cycles on {@code clock}, with no minimum retention age. */
    static WalConfig config(Path dir, SetTimeProvider clock) {
        return WalConfig.of(dir)
                .withRollCycle(TestRollCycles.TEST_SECONDLY)
                .withTimeProvider(clock)
                .withMinRetentionAge(Duration.ZERO);
    }

    static WalEntry entry(long index) {
        return entry(index, "payload-" + index);
    }

    static WalEntry entry(long index, String payload) {
        return new WalEntry(index, index + 100, 3, 7, "eu-west", 1_000L + index, WalEntry.TYPE_DATA,
                payload.getBytes(StandardCharsets.UTF_8));
    }

    static void appendRange(Wal wal, long fromInclusive, long toInclusive) {
        for (long i = fromInclusive; i <= toInclusive; i++) {
            wal.append(entry(i));
        }
    }

    /** Appends {@code perCycle} entries per one-second cycle, rolling {@code cycles} times. */
    static void appendInCycles(Wal wal, SetTimeProvider clock, int cycles, int perCycle) {
        long next = wal.lastIndex() + 1;
        for (int c = 0; c < cycles; c++) {
            appendRange(wal, next, next + perCycle - 1);
            next += perCycle;
            clock.advanceMillis(1_000);
        }
    }
}
