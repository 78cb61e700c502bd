package io.meridian;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/** Futures waiting for the local applied index to reach a position (read-your-writes). */
final class AppliedWaiters {

    private final ConcurrentSkipListMap<Long, List<CompletableFuture<Void>>> waiting = new ConcurrentSkipListMap<>();
    private volatile long applied;

    CompletableFuture<Void> await(long index) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (index <= applied) {
            future.complete(null);
            return future;
        }
        waiting.computeIfAbsent(index, k -> new CopyOnWriteArrayList<>()).add(future);
        if (index <= applied) {
            // applied advanced while we registered; our list may already have been drained
            future.complete(null);
        }
        return future;
    }

    void advance(long appliedIndex) {
        if (appliedIndex > applied) {
            applied = appliedIndex;
        }
        for (Long key : waiting.headMap(appliedIndex, true).keySet()) {
            List<CompletableFuture<Void>> ready = waiting.remove(key);
            if (ready != null) {
                ready.forEach(f -> f.complete(null));
            }
        }
    }

    void failAll(RuntimeException cause) {
        waiting.values().forEach(list -> list.forEach(f -> f.completeExceptionally(cause)));
        waiting.clear();
    }
}
