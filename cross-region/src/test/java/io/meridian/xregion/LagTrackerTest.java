package io.meridian.xregion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(30)
class LagTrackerTest {

    private final LagTracker tracker = new LagTracker("eu");

    @Test
    void emptySnapshotIsAllZero() {
        final LagTracker.Snapshot snapshot = tracker.snapshot();
        assertThat(snapshot).isEqualTo(new LagTracker.Snapshot("eu", 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void reportsPercentilesOfCommitToApplyLag() {
        for (int lag = 1; lag <= 1000; lag++) {
            tracker.recordLagMillis(lag);
        }
        final LagTracker.Snapshot snapshot = tracker.snapshot();

        assertThat(snapshot.count()).isEqualTo(1000);
        assertThat(snapshot.p50Millis()).isCloseTo(500, within(1L));
        assertThat(snapshot.p99Millis()).isCloseTo(990, within(1L));
        assertThat(snapshot.p999Millis()).isCloseTo(999, within(1L));
        assertThat(snapshot.maxMillis()).isCloseTo(1000, within(1L));
    }

    @Test
    void snapshotsAreCumulativeUntilReset() {
        tracker.recordLagMillis(10);
        assertThat(tracker.snapshot().count()).isEqualTo(1);
        tracker.recordLagMillis(20);
        assertThat(tracker.snapshot().count()).isEqualTo(2);

        tracker.recordBatchShipped(3, 100);
        tracker.reset();
        final LagTracker.Snapshot afterReset = tracker.snapshot();
        assertThat(afterReset.count()).isZero();
        assertThat(afterReset.bytesShipped()).as("counters survive a reset").isEqualTo(100);
    }

    @Test
    void outOfRangeLagIsClampedAndCounted() {
        tracker.recordLagMillis(-5);
        tracker.recordLagMillis(LagTracker.MAX_LAG_MILLIS * 10);
        final LagTracker.Snapshot snapshot = tracker.snapshot();

        assertThat(snapshot.count()).isEqualTo(2);
        assertThat(snapshot.clampedSamples()).isEqualTo(2);
        assertThat(snapshot.maxMillis()).isCloseTo(LagTracker.MAX_LAG_MILLIS, within(LagTracker.MAX_LAG_MILLIS / 500));
    }

    @Test
    void countsShippedVolume() {
        tracker.recordBatchShipped(10, 1_000);
        tracker.recordBatchShipped(5, 24);
        final LagTracker.Snapshot snapshot = tracker.snapshot();

        assertThat(snapshot.batchesShipped()).isEqualTo(2);
        assertThat(snapshot.entriesShipped()).isEqualTo(15);
        assertThat(snapshot.bytesShipped()).isEqualTo(1_024);
    }

    @Test
    void concurrentRecordingAndSnapshotsLoseNothing() throws Exception {
        final int writers = 2;
        final int perWriter = 200_000;
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            final Thread thread = new Thread(() -> {
                awaitQuietly(go);
                for (int i = 0; i < perWriter; i++) {
                    tracker.recordLagMillis(i % 5_000);
                    tracker.recordBatchShipped(1, 2);
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        long lastCount = 0;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            final long count = tracker.snapshot().count();
            assertThat(count).as("cumulative counts never go back").isGreaterThanOrEqualTo(lastCount);
            lastCount = count;
        }
        for (Thread thread : threads) {
            thread.join();
        }
        final LagTracker.Snapshot snapshot = tracker.snapshot();
        assertThat(snapshot.count()).isEqualTo((long) writers * perWriter);
        assertThat(snapshot.batchesShipped()).isEqualTo((long) writers * perWriter);
        assertThat(snapshot.bytesShipped()).isEqualTo(2L * writers * perWriter);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
