package io.meridian;

import io.meridian.wal.WalConfig;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.time.Duration;
import java.util.List;

/**
 * How long a node keeps its WAL. Normal retention releases a roll cycle once the node's own snapshot
 * covers it, every remote region acknowledged past it (on the shipping leader) and it is more than
 * {@link #marginEntries} behind the last entry. A hard cap ({@link #maxBytes}, optionally
 * {@link #maxAge}) bounds the WAL whatever a lagging remote still needs: past it the oldest cycles
 * are released and that remote is re-seeded from a state image when it comes back.
 *
 * <p>The WAL is released a whole roll cycle at a time and the cycle being written is never released,
 * so the WAL can exceed the cap by about one cycle's worth of writes: pick a roll cycle whose traffic
 * is well below {@link #maxBytes} (the default five-minute cycle keeps within 1 GiB up to ~3 MB/s).
 */
public final class WalRetentionSettings {

    /** 1 GiB: a few minutes of heavy traffic on a server, and harmless on a laptop. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    /**
     * A follower cannot know what remote regions acknowledged (only the shipping leader hears the acks),
     * yet it ships from its own WAL if it is elected. It keeps this many entries below its last one:
     * healthy remotes trail by far fewer (milliseconds of traffic), so a leader change costs them no
     * image; a remote lagging by more gets an image, as the cap would force anyway. Replicating the acked
     * watermark through Raft instead would cost a Raft entry per advance for the rare case of a leader
     * change while a remote lags by more than the margin.
     */
    public static final long DEFAULT_MARGIN_ENTRIES = 10_000;
    /** No age cap: the byte cap alone bounds the WAL. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ZERO;
    /** Five-minute segments (roll cycles), released whole. */
    public static final Duration DEFAULT_ROLL_PERIOD = Duration.ofMinutes(5);

    private long maxBytes = DEFAULT_MAX_BYTES;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private long marginEntries = DEFAULT_MARGIN_ENTRIES;
    /** The roll periods a WAL can use, shortest first (each one Chronicle roll cycle). */
    private static final List<RollCycle> ROLL_CYCLES = List.of(TestRollCycles.TEST_SECONDLY, RollCycles.FIVE_MINUTELY,
            RollCycles.TEN_MINUTELY, RollCycles.TWENTY_MINUTELY, RollCycles.HALF_HOURLY, RollCycles.FAST_HOURLY,
            RollCycles.TWO_HOURLY, RollCycles.FOUR_HOURLY, RollCycles.SIX_HOURLY, RollCycles.FAST_DAILY,
            RollCycles.WEEKLY);

    private Duration rollPeriod = DEFAULT_ROLL_PERIOD;
    private Duration checkInterval = Duration.ofSeconds(1);

    /** Hard cap on the WAL's bytes (default 1 GiB). */
    public WalRetentionSettings maxBytes(long v) {
        this.maxBytes = v;
        return this;
    }

    /** Hard cap on the age of the oldest roll cycle kept (default zero: no age cap). */
    public WalRetentionSettings maxAge(Duration v) {
        this.maxAge = v;
        return this;
    }

    /** Entries kept below the last one even when the snapshot covers them (see {@link #DEFAULT_MARGIN_ENTRIES}). */
    public WalRetentionSettings marginEntries(long v) {
        this.marginEntries = v;
        return this;
    }

    /**
     * Roll period of a new WAL, the unit of release (default five minutes): one second, 5, 10, 20 or
     * 30 minutes, 1, 2, 4 or 6 hours, one day or one week. An existing WAL keeps the period it was
     * created with. Tests use one second.
     */
    public WalRetentionSettings rollPeriod(Duration v) {
        this.rollPeriod = v;
        return this;
    }

    /** How often retention runs (default 1 s). */
    public WalRetentionSettings checkInterval(Duration v) {
        this.checkInterval = v;
        return this;
    }

    void conclude() {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("WAL maxBytes must be > 0: " + maxBytes);
        }
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("WAL maxAge must be >= 0 (0 = no age cap): " + maxAge);
        }
        if (marginEntries < 0) {
            throw new IllegalArgumentException("WAL marginEntries must be >= 0: " + marginEntries);
        }
        rollCycle(rollPeriod);
        if (checkInterval == null || checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("WAL checkInterval must be positive: " + checkInterval);
        }
    }

    /** The WAL configuration for {@code dataDir/wal}: this roll cycle; retention is decided above the WAL. */
    WalConfig walConfig(java.nio.file.Path dir) {
        return WalConfig.of(dir).withRollCycle(rollCycle(rollPeriod)).withMinRetentionAge(Duration.ZERO);
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Duration maxAge() {
        return maxAge;
    }

    public long marginEntries() {
        return marginEntries;
    }

    public Duration rollPeriod() {
        return rollPeriod;
    }

    private static RollCycle rollCycle(Duration period) {
        if (period != null) {
            for (RollCycle c : ROLL_CYCLES) {
                if (c.lengthInMillis() == period.toMillis()) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("WAL rollPeriod must be one of " + ROLL_CYCLES.stream()
                .map(c -> Duration.ofMillis(c.lengthInMillis()).toString()).toList() + ": " + period);
    }

    public Duration checkInterval() {
        return checkInterval;
    }
}
