package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.transport.Message;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The read levels ({@link ReadLevel}) and {@code awaitApplied}, on one node. */
final class Reads {

    private final ReplicatorContext ctx;
    private final NodeRuntime runtime;
    private final ErrorTranslation errors;

    Reads(ReplicatorContext ctx, NodeRuntime runtime, ErrorTranslation errors) {
        this.ctx = ctx;
        this.runtime = runtime;
        this.errors = errors;
    }

    <T> CompletableFuture<T> read(ReadLevel level, Callable<T> query) {
        return switch (level.kind()) {
            case LINEARIZABLE -> linearizable(query, level.forwards(ctx));
            case SESSION -> awaitApplied(level.after(), ctx.applyTimeout()).thenApplyAsync(ok -> call(query));
            case BOUNDED -> {
                try {
                    StalenessBound.check(observe(), level.maxLag().toMillis(), ctx.region());
                } catch (MeridianException e) {
                    yield CompletableFuture.failedFuture(e);
                }
                yield CompletableFuture.completedFuture(call(query));
            }
            case LOCAL -> CompletableFuture.completedFuture(call(query));
        };
    }

    /**
     * On the primary's leader: Raft ReadIndex, then the query on a pool thread (never on a Raft thread:
     * JRaft completes the barrier while holding its own locks, and the lease check and the query must
     * not run under them). Elsewhere, with {@code forward}: the primary's leader does the same for a
     * read index, and the query runs here once this node applied that far; without, the refusal.
     */
    <T> CompletableFuture<T> linearizable(Callable<T> query, boolean forward) {
        try {
            runtime.admission().checkRead();
        } catch (NotLeaderException | NotPrimaryException e) {
            MultiRegionServices services = runtime.multiRegion();
            if (!forward || services == null) {
                return CompletableFuture.failedFuture(runtime.primaryLeaders().refusal(e));
            }
            return services.forwarder().forward(Message.FORWARD_READ_INDEX, new byte[0], null)
                    .thenCompose(index -> awaitApplied(index, ctx.applyTimeout()))
                    .thenApplyAsync(ok -> call(query));
        } catch (MeridianException e) {
            return CompletableFuture.failedFuture(e);
        }
        return runtime.regionNode().readBarrier()
                .orTimeout(ctx.applyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((ok, error) -> {
                    if (error != null) {
                        throw errors.translate(error, "read");
                    }
                    runtime.admission().checkRead();
                    return call(query);
                });
    }

    CompletableFuture<Void> awaitApplied(Position position, Duration timeout) {
        ClusterState now = runtime.regionNode().clusterState();
        if (now.supersedes(position.index(), position.epoch())) {
            return CompletableFuture.failedFuture(new PositionLostException(position, now.epochAt(position.index())));
        }
        return runtime.waiters().await(position.index())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, e) -> {
                    ClusterState s = runtime.regionNode().clusterState();
                    // The index may be reached by another epoch's entry (a write lost in a promotion), or
                    // an epoch change may show it lost while we still wait for the index.
                    if (s.supersedes(position.index(), position.epoch())
                            || (s.epochAt(position.index()) >= 0 && s.epochAt(position.index()) != position.epoch())) {
                        throw new PositionLostException(position, s.epochAt(position.index()));
                    }
                    if (e != null) {
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        if (cause instanceof TimeoutException) {
                            throw new MeridianTimeoutException("awaitApplied(" + position + ") timed out after "
                                    + timeout + "; this region has applied up to " + s.appliedIndex());
                        }
                        throw errors.translate(e, "awaitApplied(" + position + ")");
                    }
                    return null;
                });
    }

    private StalenessBound.Observation observe() {
        long now = System.nanoTime();
        MultiRegionServices services = runtime.multiRegion();
        if (services == null) {
            // One region: it is the primary; a follower vouches only while it has applied all it knows committed.
            boolean current = runtime.regionNode().isLeader()
                    || runtime.regionNode().commitRaftIndex() <= runtime.regionNode().appliedRaftIndex();
            return new StalenessBound.Observation(true, current, false, 0, 0);
        }
        boolean vouched = services.coordinator().gate().primaryLeaseHeldAt(now);
        return services.coordinator().lag().observe(now, vouched);
    }

    static <T> T call(Callable<T> query) {
        try {
            return query.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }
}
