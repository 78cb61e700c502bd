package io.meridian.wal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * Settings of a {@link ChronicleWal}. Start from {@link #of(Path)} and adjust with the {@code with} methods.
 *
 * @param directory       root directory owned by this WAL (holds the metadata file and the queue)
 * @param rollCycle       Chronicle roll cycle; also the granularity of {@link Wal#release}
 * @param minRetentionAge a roll cycle is released only once it ended at least this long ago
 * @param timeProvider    clock for rolling and retention age (tests substitute a settable one)
 * @param syncMode        how Chronicle forces written pages to disk; {@link SyncMode#NONE} survives a
 *                        process crash but not a power loss
 */
public record WalConfig(Path directory, RollCycle rollCycle, Duration minRetentionAge,
                        TimeProvider timeProvider, SyncMode syncMode) {

    public static final RollCycle DEFAULT_ROLL_CYCLE = RollCycles.FAST_HOURLY;
    public static final Duration DEFAULT_MIN_RETENTION_AGE = Duration.ofHours(1);

    public WalConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(rollCycle, "rollCycle");
        Objects.requireNonNull(minRetentionAge, "minRetentionAge");
        Objects.requireNonNull(timeProvider, "timeProvider");
        Objects.requireNonNull(syncMode, "syncMode");
        if (minRetentionAge.isNegative()) {
            throw new IllegalArgumentException("minRetentionAge must not be negative: " + minRetentionAge);
        }
    }

    /** Defaults: hourly roll, one hour minimum retention, system clock, no explicit sync. */
    public static WalConfig of(Path directory) {
        return new WalConfig(directory, DEFAULT_ROLL_CYCLE, DEFAULT_MIN_RETENTION_AGE,
                SystemTimeProvider.INSTANCE, SyncMode.NONE);
    }

    public WalConfig withRollCycle(RollCycle value) {
        return new WalConfig(directory, value, minRetentionAge, timeProvider, syncMode);
    }

    public WalConfig withMinRetentionAge(Duration value) {
        return new WalConfig(directory, rollCycle, value, timeProvider, syncMode);
    }

    public WalConfig withTimeProvider(TimeProvider value) {
        return new WalConfig(directory, rollCycle, minRetentionAge, value, syncMode);
    }

    public WalConfig withSyncMode(SyncMode value) {
        return new WalConfig(directory, rollCycle, minRetentionAge, timeProvider, value);
    }
}
