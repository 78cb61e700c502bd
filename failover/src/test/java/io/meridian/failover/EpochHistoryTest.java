package io.meridian.failover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class EpochHistoryTest {

    private final EpochHistory history = EpochHistory.initial().append(2, 101).append(4, 250);

    @Test
    void epochAtFindsTheEpochThatWroteAnIndex() {
        assertThat(history.epochAt(1)).isEqualTo(1);
        assertThat(history.epochAt(100)).isEqualTo(1);
        assertThat(history.epochAt(101)).isEqualTo(2);
        assertThat(history.epochAt(249)).isEqualTo(2);
        assertThat(history.epochAt(250)).isEqualTo(4);
        assertThat(history.epochAt(Long.MAX_VALUE)).isEqualTo(4);
        assertThat(history.epochAt(0)).isEqualTo(EpochHistory.NO_EPOCH);
    }

    @Test
    void matchesComparesTheEpochOfAnIndex() {
        assertThat(history.matches(120, 2)).isTrue();
        assertThat(history.matches(120, 1)).isFalse();
        assertThat(history.matches(0, EpochHistory.NO_EPOCH)).isFalse();
    }

    @Test
    void emptyEpochsLoseToTheNewerEpochAtTheSameIndex() {
        final EpochHistory h = EpochHistory.initial().append(2, 50).append(3, 50);

        assertThat(h.epochAt(50)).isEqualTo(3);
        assertThat(h.lastIndexOf(2)).isEqualTo(49);
    }

    @Test
    void appendingDropsEpochsThatStartedBeyondTheNewBasis() {
        // eu wrote epoch 3 from 150 while it was cut off; epoch 4 was based on index 120.
        final EpochHistory diverged = EpochHistory.initial().append(3, 150).append(4, 121);

        assertThat(diverged.size()).isEqualTo(2);
        assertThat(diverged.firstIndexOf(3)).isEqualTo(-1);
        assertThat(diverged.epochAt(160)).isEqualTo(4);
    }

    @Test
    void appendIsIdempotentAndRejectsOlderEpochs() {
        assertThat(history.append(4, 250)).isSameAs(history);
        assertThatThrownBy(() -> history.append(3, 300)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not newer");
        assertThatThrownBy(() -> history.append(4, 260)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void epochBoundaries() {
        assertThat(history.firstIndexOf(2)).isEqualTo(101);
        assertThat(history.lastIndexOf(1)).isEqualTo(100);
        assertThat(history.lastIndexOf(4)).isEqualTo(Long.MAX_VALUE);
        assertThat(history.lastIndexOf(3)).isEqualTo(-1);
        assertThat(history.latestEpoch()).isEqualTo(4);
    }

    @Test
    void roundTripsThroughBytes() {
        final byte[] bytes = history.toBytes();

        assertThat(bytes).hasSize(1 + 4 + 3 * 16);
        assertThat(EpochHistory.fromBytes(bytes)).isEqualTo(history).hasToString("EpochHistory[1@1, 2@101, 4@250]");
    }

    @Test
    void rejectsUnknownVersion() {
        final byte[] bytes = history.toBytes();
        bytes[0] = 9;

        assertThatThrownBy(() -> EpochHistory.fromBytes(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported format version 9");
    }

    @Test
    void rejectsTruncatedOrPaddedBytes() {
        final byte[] bytes = history.toBytes();

        assertThatThrownBy(() -> EpochHistory.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 entries need 53 bytes but 52");
        assertThatThrownBy(() -> EpochHistory.fromBytes(Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but 54");
        assertThatThrownBy(() -> EpochHistory.fromBytes(new byte[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }

    @Test
    void rejectsHugeOrEmptyCounts() {
        final byte[] huge = ByteBuffer.allocate(5).put((byte) 1).putInt(Integer.MAX_VALUE).array();
        final byte[] empty = ByteBuffer.allocate(5).put((byte) 1).putInt(0).array();

        assertThatThrownBy(() -> EpochHistory.fromBytes(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2147483647 entries");
        assertThatThrownBy(() -> EpochHistory.fromBytes(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 entries");
    }

    @Test
    void rejectsEntriesOutOfOrder() {
        final byte[] bytes = ByteBuffer.allocate(5 + 32).put((byte) 1).putInt(2)
                .putLong(2).putLong(10).putLong(2).putLong(20).array();

        assertThatThrownBy(() -> EpochHistory.fromBytes(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 1 (2@20) does not follow (2@10)");
    }
}
