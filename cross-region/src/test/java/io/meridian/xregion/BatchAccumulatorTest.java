package io.meridian.xregion;

import io.meridian.wal.WalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.meridian.xregion.Entries.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class BatchAccumulatorTest {

    private static final long LINGER = 5_000_000L;

    private final BatchAccumulator accumulator = new BatchAccumulator(new ShippingConfig()
            .maxBatchEntries(3).maxBatchBytes(1_000).maxInFlightBytes(10_000).lingerNanos(LINGER));

    @Test
    void closesByEntryCount() {
        assertThat(accumulator.add(entry(1, 1), 10, 0)).isTrue();
        assertThat(accumulator.add(entry(2, 1), 10, 0)).isTrue();
        assertThat(accumulator.shouldClose(0)).isFalse();
        assertThat(accumulator.add(entry(3, 1), 10, 0)).isTrue();
        assertThat(accumulator.shouldClose(0)).isTrue();
        assertThat(accumulator.add(entry(4, 1), 10, 0)).as("full by count").isFalse();

        assertThat(accumulator.drain()).extracting(WalEntry::index).containsExactly(1L, 2L, 3L);
        assertThat(accumulator.isEmpty()).isTrue();
        assertThat(accumulator.bytes()).isZero();
        assertThat(accumulator.add(entry(4, 1), 10, 0)).isTrue();
    }

    @Test
    void closesByBytesAndRefusesAnEntryThatWouldOverflow() {
        assertThat(accumulator.add(entry(1, 1), 600, 0)).isTrue();
        assertThat(accumulator.add(entry(2, 1), 401, 0)).isFalse();
        assertThat(accumulator.size()).isEqualTo(1);
        assertThat(accumulator.add(entry(2, 1), 400, 0)).isTrue();
        assertThat(accumulator.bytes()).isEqualTo(1_000);
        assertThat(accumulator.shouldClose(0)).isTrue();
    }

    @Test
    void closesByLingerOfTheOldestEntry() {
        accumulator.add(entry(1, 1), 10, 100);
        accumulator.add(entry(2, 1), 10, 100 + LINGER - 1);
        assertThat(accumulator.lingerDeadlineNanos()).isEqualTo(100 + LINGER);
        assertThat(accumulator.shouldClose(100 + LINGER - 1)).isFalse();
        assertThat(accumulator.shouldClose(100 + LINGER)).isTrue();

        accumulator.drain();
        accumulator.add(entry(3, 1), 10, 200 + LINGER);
        assertThat(accumulator.shouldClose(200 + LINGER)).as("linger restarts with the next batch").isFalse();
    }

    @Test
    void oversizedEntryFormsItsOwnBatch() {
        accumulator.add(entry(1, 1), 10, 0);
        assertThat(accumulator.add(entry(2, 1), 5_000, 0)).isFalse();
        assertThat(accumulator.drain()).hasSize(1);

        assertThat(accumulator.add(entry(2, 1), 5_000, 0)).isTrue();
        assertThat(accumulator.shouldClose(0)).isTrue();
        assertThat(accumulator.add(entry(3, 1), 1, 0)).isFalse();
        assertThat(accumulator.drain()).extracting(WalEntry::index).containsExactly(2L);
    }

    @Test
    void emptyAccumulatorNeverCloses() {
        assertThat(accumulator.shouldClose(Long.MAX_VALUE)).isFalse();
        assertThat(accumulator.lingerDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(accumulator.drain()).isEmpty();
        assertThat(accumulator.firstIndex()).isZero();
        assertThat(accumulator.lastIndex()).isZero();
    }

    @Test
    void rejectsNonConsecutiveEntries() {
        accumulator.add(entry(5, 1), 10, 0);
        assertThatThrownBy(() -> accumulator.add(entry(7, 1), 10, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7");
        assertThat(accumulator.lastIndex()).isEqualTo(5);
    }

    @Test
    void drainHandsOverAnIndependentList() {
        accumulator.add(entry(1, 1), 10, 0);
        final List<WalEntry> batch = accumulator.drain();
        accumulator.add(entry(2, 1), 10, 0);
        accumulator.clear();

        assertThat(batch).extracting(WalEntry::index).containsExactly(1L);
        assertThat(accumulator.isEmpty()).isTrue();
        assertThat(accumulator.add(entry(9, 1), 10, 0)).as("clear allows a new start position").isTrue();
    }
}
