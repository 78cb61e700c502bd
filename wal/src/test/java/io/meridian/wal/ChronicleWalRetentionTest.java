package io.meridian.wal;

import static io.meridian.wal.WalTestSupport.appendInCycles;
import static io.meridian.wal.WalTestSupport.config;
import static io.meridian.wal.WalTestSupport.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three one-second cycles holding 1..3, 4..6 and 7..9 unless a test says otherwise. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChronicleWalRetentionTest {

    @TempDir
    Path dir;
    private final SetTimeProvider clock = WalTestSupport.clock();
    private ChronicleWal wal;

    @AfterEach
    void close() {
        if (wal != null) {
            wal.close();
        }
    }

    private void openWithThreeCycles(Duration minAge) {
        wal = ChronicleWal.open(config(dir, clock).withMinRetentionAge(minAge));
        appendInCycles(wal, clock, 3, 3);
    }

    @Test
    void releasesOnlyWholeCyclesAtOrBelowTheIndex() throws IOException {
        openWithThreeCycles(Duration.ZERO);
        assertThat(cycleFiles()).isEqualTo(3);

        assertThat(wal.release(5)).isEqualTo(3);

        assertThat(wal.firstIndex()).isEqualTo(4);
        assertThat(wal.lastIndex()).isEqualTo(9);
        assertThat(cycleFiles()).isEqualTo(2);
        assertThat(wal.read(4)).isEqualTo(entry(4));
        assertThat(wal.release(5)).as("nothing more at or below 5").isZero();
    }

    @Test
    void neverReleasesTheCycleHoldingTheLastEntry() {
        openWithThreeCycles(Duration.ZERO);

        assertThat(wal.release(Long.MAX_VALUE)).isEqualTo(6);

        assertThat(wal.firstIndex()).isEqualTo(7);
        assertThat(wal.lastIndex()).isEqualTo(9);
        wal.close();
        wal = ChronicleWal.open(config(dir, clock));
        assertThat(wal.firstIndex()).isEqualTo(7);
        assertThat(wal.lastIndex()).isEqualTo(9);
        assertThat(wal.append(entry(10))).isEqualTo(Wal.AppendResult.APPENDED);
    }

    @Test
    void slowestConsumerHoldsRetentionBack() {
        openWithThreeCycles(Duration.ZERO);
        wal.consumerPassed("fast", 9);
        wal.consumerPassed("slow", 2);

        assertThat(wal.release(9)).isZero();

        wal.consumerPassed("slow", 6);
        assertThat(wal.release(9)).isEqualTo(6);
    }

    @Test
    void rewindingConsumerHoldsRetentionBackAgain() {
        openWithThreeCycles(Duration.ZERO);
        wal.consumerPassed("remote", 6);
        wal.consumerPassed("remote", 1);

        assertThat(wal.release(9)).isZero();
    }

    @Test
    void removedConsumerNoLongerHoldsRetentionBack() {
        openWithThreeCycles(Duration.ZERO);
        wal.consumerPassed("gone", 0);
        assertThat(wal.release(9)).isZero();

        wal.removeConsumer("gone");

        assertThat(wal.release(9)).isEqualTo(6);
    }

    @Test
    void cyclesYoungerThanTheMinimumAgeAreKept() {
        openWithThreeCycles(Duration.ofSeconds(10));
        // the clock is now 3s past the start; the first cycle ended at 1s

        assertThat(wal.release(9)).isZero();

        clock.advanceMillis(8_000);
        assertThat(wal.release(9)).as("first cycle ended 10s ago, second 9s ago").isEqualTo(3);
        clock.advanceMillis(1_000);
        assertThat(wal.release(9)).isEqualTo(3);
    }

    @Test
    void releasedEntriesAreReportedAsReleased() {
        openWithThreeCycles(Duration.ZERO);
        WalReader reader = wal.openReader(1);
        assertThat(reader.next()).isEqualTo(entry(1));

        wal.release(3);

        assertThatThrownBy(() -> wal.read(2)).isInstanceOf(WalReleasedException.class);
        assertThatThrownBy(reader::next).isInstanceOf(WalReleasedException.class);
        reader.seek(4);
        assertThat(reader.next()).isEqualTo(entry(4));
        reader.close();
    }

    @Test
    void reofferedReleasedEntryIsDuplicate() {
        openWithThreeCycles(Duration.ZERO);
        wal.release(3);

        assertThat(wal.append(entry(2))).isEqualTo(Wal.AppendResult.DUPLICATE);
        assertThat(wal.lastIndex()).isEqualTo(9);
    }

    @Test
    void readerAheadOfReleasedCyclesIsUnaffected() {
        openWithThreeCycles(Duration.ZERO);
        try (WalReader reader = wal.openReader(5)) {
            assertThat(reader.next()).isEqualTo(entry(5));

            wal.release(3);

            assertThat(reader.next()).isEqualTo(entry(6));
            assertThat(reader.next()).isEqualTo(entry(7));
        }
    }

    @Test
    void sizeCountsHeldEntriesAndSurvivesReopen() {
        openWithThreeCycles(Duration.ZERO);
        long size = wal.sizeBytes();
        // nine entries of ~70 bytes each plus headers: far from the 80 MiB sparse length of a cycle file
        assertThat(size).isBetween(9L * 50, 9L * 400);

        wal.close();
        wal = ChronicleWal.open(config(dir, clock));

        assertThat(wal.sizeBytes()).isEqualTo(size);
        wal.release(3);
        assertThat(wal.sizeBytes()).isLessThan(size);
    }

    @Test
    void capReleasesOldestCyclesEvenWhenAConsumerNeedsThem() {
        openWithThreeCycles(Duration.ofHours(1));
        wal.consumerPassed("lagging-remote", 0);
        long oneCycle = wal.sizeBytes() / 3;

        assertThat(wal.releaseOverCap(wal.sizeBytes(), 0)).as("within the cap").isZero();
        assertThat(wal.releaseOverCap(oneCycle + oneCycle / 2, 0)).isEqualTo(6);

        assertThat(wal.firstIndex()).isEqualTo(7);
        assertThatThrownBy(() -> wal.openReader(1)).isInstanceOf(WalReleasedException.class);
        assertThat(wal.releaseOverCap(0, 0)).as("never the cycle holding the last entry").isZero();
    }

    @Test
    void ageCapReleasesCyclesThatEndedLongerAgo() {
        openWithThreeCycles(Duration.ofHours(1));
        wal.consumerPassed("lagging-remote", 0);
        // the clock is 3s past the start: the first cycle ended 2s ago, the second 1s ago

        assertThat(wal.releaseOverCap(Long.MAX_VALUE, 1_500)).isEqualTo(3);
        assertThat(wal.firstIndex()).isEqualTo(4);
    }

    private long cycleFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4")).count();
        }
    }
}
