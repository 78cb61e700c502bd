package io.meridian.wal;

import static io.meridian.wal.WalTestSupport.appendRange;
import static io.meridian.wal.WalTestSupport.config;
import static io.meridian.wal.WalTestSupport.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChronicleWalAppendTest {

    @TempDir
    Path dir;
    private ChronicleWal wal;

    @BeforeEach
    void open() {
        wal = ChronicleWal.open(config(dir, WalTestSupport.clock()));
    }

    @AfterEach
    void close() {
        wal.close();
    }

    @Test
    void emptyWalHoldsNothingAfterBaseZero() {
        assertThat(wal.baseIndex()).isZero();
        assertThat(wal.firstIndex()).isEqualTo(1);
        assertThat(wal.lastIndex()).isZero();
    }

    @Test
    void appendsDenseEntriesAndReadsThemBack() {
        for (long i = 1; i <= 50; i++) {
            assertThat(wal.append(entry(i))).isEqualTo(Wal.AppendResult.APPENDED);
        }

        assertThat(wal.firstIndex()).isEqualTo(1);
        assertThat(wal.lastIndex()).isEqualTo(50);
        for (long i = 1; i <= 50; i++) {
            assertThat(wal.read(i)).isEqualTo(entry(i));
        }
    }

    @Test
    void sameContentAtAnotherRaftPositionIsDuplicate() {
        appendRange(wal, 1, 3);

        assertThat(wal.append(entry(2).withRaftPosition(999, 42))).isEqualTo(Wal.AppendResult.DUPLICATE);
        assertThat(wal.lastIndex()).isEqualTo(3);
        assertThat(wal.read(2).raftIndex()).as("original placement kept").isEqualTo(entry(2).raftIndex());
    }

    @Test
    void differentContentAtHeldIndexIsConflictAndChangesNothing() {
        appendRange(wal, 1, 3);

        assertThatThrownBy(() -> wal.append(entry(2, "other")))
                .isInstanceOf(WalConflictException.class)
                .hasMessageContaining("entry 2");
        assertThat(wal.lastIndex()).isEqualTo(3);
        assertThat(wal.read(2)).isEqualTo(entry(2));
    }

    @Test
    void skippingAnIndexIsGap() {
        appendRange(wal, 1, 3);

        assertThatThrownBy(() -> wal.append(entry(5))).isInstanceOf(WalGapException.class);
        assertThat(wal.lastIndex()).isEqualTo(3);
        assertThat(wal.append(entry(4))).isEqualTo(Wal.AppendResult.APPENDED);
    }

    @Test
    void firstAppendMustBeIndexOne() {
        assertThatThrownBy(() -> wal.append(entry(2))).isInstanceOf(WalGapException.class);
    }

    @Test
    void readingBeyondTheEndIsRejected() {
        appendRange(wal, 1, 3);

        assertThatThrownBy(() -> wal.read(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appendsMayMoveToAnotherThread() {
        appendRange(wal, 1, 3);

        CompletableFuture.runAsync(() -> appendRange(wal, 4, 6)).join();

        assertThat(wal.lastIndex()).isEqualTo(6);
        assertThat(wal.read(6)).isEqualTo(entry(6));
    }

    @Test
    void closedWalRejectsCalls() {
        appendRange(wal, 1, 2);
        wal.close();

        assertThatThrownBy(() -> wal.append(entry(3))).isInstanceOf(WalException.class);
        assertThatThrownBy(() -> wal.read(1)).isInstanceOf(WalException.class);
        assertThatThrownBy(() -> wal.openReader(1)).isInstanceOf(WalException.class);
    }
}
