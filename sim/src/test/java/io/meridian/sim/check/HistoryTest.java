package io.meridian.sim.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class HistoryTest {

    @Test
    void concurrentAppendsAreAllKeptAndCounted() throws Exception {
        History history = new History();
        int threads = 4;
        int perThread = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    int id = history.nextId();
                    history.add(id % 3 == 0
                            ? WriteRecord.notAcked(id, "k", "eu", 0, 1, WriteRecord.Status.UNKNOWN, null)
                            : WriteRecord.acked(id, "k", "eu", 0, 1, 1, id));
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }

        History.Counts counts = history.counts();
        assertThat(counts.attempted()).isEqualTo(threads * perThread);
        assertThat(counts.unknown()).isEqualTo(threads * perThread / 3);
        assertThat(counts.acked() + counts.unknown()).isEqualTo(counts.attempted());
        assertThat(counts.failed()).isZero();
        assertThat(history.all()).extracting(WriteRecord::id).isSorted().doesNotHaveDuplicates();
        assertThat(history.acked()).hasSize((int) counts.acked()).allMatch(WriteRecord::isAcked);
    }
}
