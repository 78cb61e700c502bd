package io.meridian.bench;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps at most {@code depth} writes in flight: the benchmark thread takes a permit before each
 * write and the completion callback returns it. The measured rate is then the commit rate at that
 * pipeline depth, not the rate at which an unbounded queue fills.
 */
final class Pipeline {

    private final int depth;
    private final Semaphore permits;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final AtomicLong leaderChanges = new AtomicLong();
    private volatile boolean leaderLost;

    Pipeline(int depth) {
        this.depth = depth;
        this.permits = new Semaphore(depth);
    }

    /** Blocks until a write may start. */
    void acquire() {
        permits.acquireUninterruptibly();
    }

    /** Called once per write, from whatever thread completes it. */
    void complete(Throwable error) {
        if (error == null) {
            completed.incrementAndGet();
        } else {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, error);
        }
        permits.release();
    }

    /**
     * Called instead of {@link #complete} for a write refused because leadership moved (a starved
     * 2-core machine can miss heartbeats): not a failure, but the writer must find the new leader.
     */
    void leaderChanged() {
        leaderChanges.incrementAndGet();
        leaderLost = true;
        permits.release();
    }

    /** True once after writes were refused for want of leadership; the caller then re-resolves the leader. */
    boolean takeLeaderLost() {
        if (!leaderLost) {
            return false;
        }
        leaderLost = false;
        return true;
    }

    long leaderChanges() {
        return leaderChanges.get();
    }

    long completed() {
        return completed.get();
    }

    /** Waits for every write in flight, then fails loudly if any write failed: a failed write is not a result. */
    void drainAndCheck(Duration timeout) {
        try {
            if (!permits.tryAcquire(depth, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException((depth - permits.availablePermits()) + " writes still in flight after "
                        + timeout);
            }
            permits.release(depth);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while draining", e);
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " writes failed; first failure: " + firstFailure.get(),
                    firstFailure.get());
        }
    }
}
