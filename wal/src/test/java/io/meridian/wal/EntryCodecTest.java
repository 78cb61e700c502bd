package io.meridian.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EntryCodecTest {

    private final WalEntry entry = new WalEntry(42, 17, 5, 9, "ap-süd-1", 1_700_000_000_123L,
            WalEntry.TYPE_CONTROL, "hello".getBytes(StandardCharsets.UTF_8));

    @Test
    void roundTripPreservesEveryFieldIncludingRaftPlacement() {
        WalEntry decoded = EntryCodec.decode(EntryCodec.encode(entry));

        assertThat(decoded).isEqualTo(entry);
        assertThat(decoded.raftIndex()).isEqualTo(17);
        assertThat(decoded.raftTerm()).isEqualTo(5);
    }

    @Test
    void emptyPayloadRoundTrips() {
        WalEntry empty = new WalEntry(1, 1, 1, 1, "", 0, WalEntry.TYPE_DATA, new byte[0]);

        assertThat(EntryCodec.decode(EntryCodec.encode(empty))).isEqualTo(empty);
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] encoded = EntryCodec.encode(entry);
        for (int i = 0; i < encoded.length; i++) {
            byte[] damaged = encoded.clone();
            damaged[i] ^= 0x10;
            assertThatThrownBy(() -> EntryCodec.decode(damaged))
                    .as("flip at byte %d", i)
                    .isInstanceOf(WalCorruptionException.class);
        }
    }

    @Test
    void truncatedExcerptIsDetected() {
        byte[] encoded = EntryCodec.encode(entry);

        assertThatThrownBy(() -> EntryCodec.decode(Arrays.copyOf(encoded, encoded.length - 1)))
                .isInstanceOf(WalCorruptionException.class);
        assertThatThrownBy(() -> EntryCodec.decode(new byte[3]))
                .isInstanceOf(WalCorruptionException.class);
    }
}
