package io.meridian.wal;

import static io.meridian.wal.WalTestSupport.appendInCycles;
import static io.meridian.wal.WalTestSupport.appendRange;
import static io.meridian.wal.WalTestSupport.config;
import static io.meridian.wal.WalTestSupport.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChronicleWalRecoveryTest {

    @TempDir
    Path dir;
    private final SetTimeProvider clock = WalTestSupport.clock();

    @Test
    void reopenRecoversEveryEntryAcrossRollCycles() {
        try (ChronicleWal wal = ChronicleWal.open(config(dir, clock))) {
            appendInCycles(wal, clock, 4, 3);
        }

        try (ChronicleWal wal = ChronicleWal.open(config(dir, clock))) {
            assertThat(wal.firstIndex()).isEqualTo(1);
            assertThat(wal.lastIndex()).isEqualTo(12);
            for (long i = 1; i <= 12; i++) {
                assertThat(wal.read(i)).isEqualTo(entry(i));
            }
            assertThatThrownBy(() -> wal.append(entry(14))).isInstanceOf(WalGapException.class);
            assertThat(wal.append(entry(5))).isEqualTo(Wal.AppendResult.DUPLICATE);
            assertThat(wal.append(entry(13))).isEqualTo(Wal.AppendResult.APPENDED);
        }
    }

    @Test
    void damagedEntryOnDiskFailsItsChecksum() throws IOException {
        try (ChronicleWal wal = ChronicleWal.open(config(dir, clock))) {
            appendRange(wal, 1, 4);
            wal.append(entry(5, "MARKER-to-be-damaged"));
            appendRange(wal, 6, 8);
        }
        flipByteOf("MARKER-to-be-damaged");

        try (ChronicleWal wal = ChronicleWal.open(config(dir, clock))) {
            assertThat(wal.read(4)).isEqualTo(entry(4));
            assertThatThrownBy(() -> wal.read(5)).isInstanceOf(WalCorruptionException.class);
            try (WalReader reader = wal.openReader(5)) {
                assertThatThrownBy(reader::next).isInstanceOf(WalCorruptionException.class);
            }
        }
    }

    @Test
    void resetDropsEverythingAndRestartsAfterTheNewBase() {
        try (ChronicleWal wal = ChronicleWal.open(config(dir, clock))) {
            appendInCycles(wal, clock, 2, 3);

            wal.reset(100);

            assertThat(wal.baseIndex()).isEqualTo(100);
            assertThat(wal.firstIndex()).isEqualTo(101);
            assertThat(wal.lastIndex()).isEqualTo(100);
            assertThatThrownBy(() -> wal.read(3)).isInstanceOf(WalReleasedException.class);
            assertThatThrownBy(() -> wal.append(entry(102))).isInstanceOf(WalGapException.class);
            assertThat(wal.append(entry(50))).isEqualTo(Wal.AppendResult.DUPLICATE);
            assertThat(wal.append(entry(101))).isEqualTo(Wal.AppendResult.APPENDED);
        }

        try (ChronicleWal wal = ChronicleWal.open(config(dir, clock))) {
            assertThat(wal.baseIndex()).isEqualTo(100);
            assertThat(wal.firstIndex()).isEqualTo(101);
            assertThat(wal.lastIndex()).isEqualTo(101);
            assertThat(wal.read(101)).isEqualTo(entry(101));
        }
    }

    @Test
    void resetBelowTheEndDiscardsTheDivergentTail() {
        try (ChronicleWal wal = ChronicleWal.open(config(dir, clock))) {
            appendRange(wal, 1, 10);

            wal.reset(4);

            assertThat(wal.append(entry(5, "new-history"))).isEqualTo(Wal.AppendResult.APPENDED);
            assertThat(wal.read(5)).isEqualTo(entry(5, "new-history"));
            assertThat(wal.lastIndex()).isEqualTo(5);
        }
    }

    @Test
    void queueDirectoryOfAnInterruptedResetIsRemovedOnOpen() throws IOException {
        try (ChronicleWal wal = ChronicleWal.open(config(dir, clock))) {
            appendRange(wal, 1, 3);
        }
        Path stale = Files.createDirectories(dir.resolve("queue-7"));
        Files.writeString(stale.resolve("leftover.cq4"), "x");

        try (ChronicleWal wal = ChronicleWal.open(config(dir, clock))) {
            assertThat(stale).doesNotExist();
            assertThat(wal.lastIndex()).isEqualTo(3);
        }
    }

    @Test
    void secondInstanceOnTheSameDirectoryIsRefused() {
        try (ChronicleWal wal = ChronicleWal.open(config(dir, clock))) {
            assertThatThrownBy(() -> ChronicleWal.open(config(dir, clock)))
                    .isInstanceOf(WalException.class)
                    .hasMessageContaining("already open");
        }
        try (ChronicleWal reopened = ChronicleWal.open(config(dir, clock))) {
            assertThat(reopened.lastIndex()).isZero();
        }
    }

    private void flipByteOf(String marker) throws IOException {
        byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".cq4")).toList();
        }
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            int at = indexOf(content, needle);
            if (at >= 0) {
                content[at + 3] ^= 0x01;
                Files.write(file, content);
                return;
            }
        }
        throw new AssertionError("marker not found in any queue file");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
