package io.meridian;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Futures waiting for the local applied index to reach a position (read-your-writes).
 *
 * <p>Bounded: a waiter leaves as soon as its future completes by any means (reached, timed out,
 * cancelled), so waiters for positions a lagging node never reaches do not pile up; and at most
 * {@code maxWaiters} wait at once, beyond which a new one fails at once with a retriable
 * {@link OverloadedException} rather than grow the heap without bound.
 */
final class AppliedWaiters {

    static final int DEFAULT_MAX_WAITERS = 65_536;

    // One lock for all structural changes: completions (timeouts) and registrations race on the same
    // index lists, and a lock-free map would let a registration land in a list just dropped as empty.
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiting = new TreeMap<>();
    private final int maxWaiters;
    private int count; // guarded by waiting
    private volatile int size;
    private volatile long applied;

    AppliedWaiters(int maxWaiters) {
        this.maxWaiters = maxWaiters;
    }

    CompletableFuture<Void> await(long index) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (waiting) {
            if (index <= applied) {
                future.complete(null);
                return future;
            }
            if (count >= maxWaiters) {
                future.completeExceptionally(new OverloadedException("too many awaitApplied calls waiting on this node ("
                        + maxWaiters + ", ReplicatorContext.maxAppliedWaiters); it is at index " + applied
                        + ", waiting for " + index));
                return future;
            }
            waiting.computeIfAbsent(index, k -> new ArrayList<>()).add(future);
            size = ++count;
        }
        // Runs once however the future completes (reached, timed out, cancelled): nothing keeps it.
        future.whenComplete((ok, error) -> forget(index, future));
        return future;
    }

    private void forget(long index, CompletableFuture<Void> future) {
        synchronized (waiting) {
            List<CompletableFuture<Void>> list = waiting.get(index);
            if (list != null && list.remove(future)) {
                size = --count;
                if (list.isEmpty()) {
                    waiting.remove(index);
                }
            }
        }
    }

    void advance(long appliedIndex) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (waiting) {
            if (appliedIndex > applied) {
                applied = appliedIndex;
            }
            drain(waiting.headMap(appliedIndex, true), ready);
        }
        // completed outside the lock: callbacks may be arbitrary user code
        ready.forEach(f -> f.complete(null));
    }

    private void drain(Map<Long, List<CompletableFuture<Void>>> taken, List<CompletableFuture<Void>> into) {
        for (List<CompletableFuture<Void>> list : taken.values()) {
            into.addAll(list);
            count -= list.size();
        }
        taken.clear();
        size = count;
    }

    /** Waiters now registered (for health and metrics). */
    int size() {
        return size;
    }

    void failAll(RuntimeException cause) {
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        synchronized (waiting) {
            drain(waiting, failed);
        }
        failed.forEach(f -> f.completeExceptionally(cause));
    }
}
