package io.meridian.wal;

import static io.meridian.wal.WalTestSupport.appendInCycles;
import static io.meridian.wal.WalTestSupport.appendRange;
import static io.meridian.wal.WalTestSupport.config;
import static io.meridian.wal.WalTestSupport.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChronicleWalReaderTest {

    @TempDir
    Path dir;
    private final SetTimeProvider clock = WalTestSupport.clock();
    private ChronicleWal wal;

    @BeforeEach
    void open() {
        wal = ChronicleWal.open(config(dir, clock));
    }

    @AfterEach
    void close() {
        wal.close();
    }

    @Test
    void streamsAcrossRollCyclesThenReportsCaughtUp() {
        appendInCycles(wal, clock, 4, 5);

        try (WalReader reader = wal.openReader(3)) {
            assertThat(drain(reader)).extracting(WalEntry::index).containsExactlyElementsOf(range(3, 20));
            assertThat(reader.next()).isNull();
            assertThat(reader.nextIndex()).isEqualTo(21);

            appendRange(wal, 21, 22);
            assertThat(drain(reader)).containsExactly(entry(21), entry(22));
        }
    }

    @Test
    void readerAfterLastSeesOnlyNewEntries() {
        appendRange(wal, 1, 5);

        try (WalReader reader = wal.openReaderAfterLast()) {
            assertThat(reader.nextIndex()).isEqualTo(6);
            assertThat(reader.next()).isNull();
            clock.advanceMillis(1_000);
            appendRange(wal, 6, 7);
            assertThat(drain(reader)).containsExactly(entry(6), entry(7));
        }
    }

    @Test
    void readerOnEmptyWalWaitsForTheFirstEntry() {
        try (WalReader reader = wal.openReader(1)) {
            assertThat(reader.next()).isNull();
            wal.append(entry(1));
            assertThat(reader.next()).isEqualTo(entry(1));
        }
    }

    @Test
    void readerOpenedBeyondTheEndWaitsForItsEntry() {
        appendRange(wal, 1, 2);

        try (WalReader reader = wal.openReader(5)) {
            appendRange(wal, 3, 4);
            assertThat(reader.next()).isNull();
            wal.append(entry(5));
            assertThat(reader.next()).isEqualTo(entry(5));
        }
    }

    @Test
    void seekRepositionsBackwardAndForward() {
        appendInCycles(wal, clock, 3, 4);

        try (WalReader reader = wal.openReader(1)) {
            assertThat(drain(reader)).hasSize(12);
            reader.seek(2);
            assertThat(reader.next()).isEqualTo(entry(2));
            reader.seek(10);
            assertThat(reader.nextIndex()).isEqualTo(10);
            assertThat(drain(reader)).containsExactly(entry(10), entry(11), entry(12));
        }
    }

    @Test
    void readerBelowFirstIndexIsRejected() {
        appendInCycles(wal, clock, 2, 3);
        wal.release(3);

        assertThatThrownBy(() -> wal.openReader(3)).isInstanceOf(WalReleasedException.class);
        try (WalReader reader = wal.openReader(4)) {
            assertThatThrownBy(() -> reader.seek(2)).isInstanceOf(WalReleasedException.class);
        }
    }

    @Test
    void closedReaderAndReaderOfClosedWalRejectUse() {
        appendRange(wal, 1, 2);
        WalReader closedReader = wal.openReader(1);
        closedReader.close();
        WalReader orphan = wal.openReader(1);
        assertThat(orphan.next()).isEqualTo(entry(1));

        wal.close();

        assertThatThrownBy(closedReader::next).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(orphan::next).isInstanceOf(WalException.class);
        orphan.close();
    }

    @Test
    void tailingReaderOnAnotherThreadSeesEveryEntryInOrder() throws Exception {
        int total = 3_000;
        AtomicBoolean stop = new AtomicBoolean();
        List<WalEntry> seen = new ArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (WalReader reader = wal.openReader(1)) {
            Future<?> tailing = pool.submit(() -> {
                while (!stop.get()) {
                    WalEntry e = reader.next();
                    if (e != null) {
                        synchronized (seen) {
                            seen.add(e);
                        }
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            for (long i = 1; i <= total; i++) {
                wal.append(entry(i));
                if (i % 500 == 0) {
                    clock.advanceMillis(1_000);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                synchronized (seen) {
                    return seen.size() == total;
                }
            });
            stop.set(true);
            tailing.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        synchronized (seen) {
            assertThat(seen).extracting(WalEntry::index).containsExactlyElementsOf(range(1, total));
        }
    }

    @Test
    void readerKeepsWorkingAcrossReset() {
        appendRange(wal, 1, 5);
        WalReader behind = wal.openReader(1);
        WalReader ahead = wal.openReader(11);
        assertThat(behind.next()).isEqualTo(entry(1));

        wal.reset(10);

        assertThatThrownBy(behind::next).isInstanceOf(WalReleasedException.class);
        behind.seek(11);
        assertThat(behind.next()).isNull();
        wal.append(entry(11, "after-reset"));
        assertThat(behind.next()).isEqualTo(entry(11, "after-reset"));
        assertThat(ahead.next()).isEqualTo(entry(11, "after-reset"));
        behind.close();
        ahead.close();
    }

    private static List<WalEntry> drain(WalReader reader) {
        List<WalEntry> out = new ArrayList<>();
        for (WalEntry e = reader.next(); e != null; e = reader.next()) {
            out.add(e);
        }
        return out;
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        List<Long> out = new ArrayList<>();
        for (long i = fromInclusive; i <= toInclusive; i++) {
            out.add(i);
        }
        return out;
    }
}
