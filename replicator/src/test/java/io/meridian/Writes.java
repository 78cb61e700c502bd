package io.meridian;

import io.meridian.kv.KvCommand;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A pipelined test writer with unique keys ("w&lt;i&gt;" = "v&lt;i&gt;") that records which writes were
 * acknowledged, so tests can check that no acknowledged write was lost.
 */
public final class Writes {

    private final Map<Integer, Position> acked = new ConcurrentHashMap<>();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();

    public static byte[] payload(int i) {
        return KvCommand.put("w" + i, "v" + i);
    }

    /** Writes {@code count} entries through {@code leader} with at most {@code inFlight} outstanding. */
    public void writeAll(Replicator leader, int count, int inFlight) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        for (int n = 0; n < count; n++) {
            permits.acquire();
            int i = next.getAndIncrement();
            leader.apply(payload(i)).whenComplete((p, e) -> {
                if (e == null) {
                    acked.put(i, p);
                } else {
                    failed.incrementAndGet();
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("writes did not complete within 60 s");
        }
    }

    /**
     * Keeps writing through whatever node {@code leader} returns until {@code stop} is set; failures
     * (leader change) are counted, the writer moves on.
     */
    public CompletableFuture<Void> writeUntil(Supplier<Replicator> leader, AtomicBoolean stop, int inFlight) {
        return CompletableFuture.runAsync(() -> {
            Semaphore permits = new Semaphore(inFlight);
            while (!stop.get()) {
                try {
                    if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    Replicator target = leader.get();
                    if (target == null) {
                        permits.release();
                        Thread.onSpinWait();
                        continue;
                    }
                    int i = next.getAndIncrement();
                    CompletableFuture<Position> f;
                    try {
                        f = target.apply(payload(i));
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        permits.release();
                        continue;
                    }
                    f.whenComplete((p, e) -> {
                        if (e == null) {
                            acked.put(i, p);
                        } else {
                            failed.incrementAndGet();
                            try {
                                Thread.sleep(5); // back off a little while the region elects a leader
                            } catch (InterruptedException ie) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        permits.release();
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            try {
                permits.tryAcquire(inFlight, 60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public Map<Integer, Position> acked() {
        return acked;
    }

    public int failed() {
        return failed.get();
    }

    public int attempted() {
        return next.get();
    }
}
