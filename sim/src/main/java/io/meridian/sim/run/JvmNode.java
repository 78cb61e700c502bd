package io.meridian.sim.run;

import io.meridian.Position;
import io.meridian.Replicator;
import io.meridian.kv.KvCommand;
import io.meridian.kv.KvStateMachine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running {@link Replicator} of a {@link SimCluster} with its state machine and how many times it
 * was started (a restarted node is a new process: its reads begin a new session).
 */
public record JvmNode(Replicator replicator, KvStateMachine kv, int incarnation) implements SimNode {

    @Override
    public Duration switchover(String target, Duration timeout) throws Exception {
        return replicator.switchover(target).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String nodeId() {
        return replicator.nodeId();
    }

    @Override
    public String region() {
        return replicator.region();
    }

    @Override
    public String session() {
        return replicator.nodeId() + "#" + incarnation;
    }

    @Override
    public String regionRole() {
        return replicator.health().regionRole();
    }

    @Override
    public long appliedIndex() {
        return replicator.appliedPosition().index();
    }

    @Override
    public CompletableFuture<Position> put(String key, byte[] value) {
        try {
            return replicator.apply(KvCommand.put(key, value));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<byte[]> read(String key) {
        try {
            return replicator.read(() -> kv.get(key));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
