package io.meridian.sim.run;

import io.meridian.Position;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One node as the workload and the scenarios see it, whether it is a {@link io.meridian.Replicator}
 * in this JVM or a node process behind its admin HTTP API. Futures complete exceptionally with a
 * {@link io.meridian.MeridianException} (or {@link RemoteFailure} for processes) so that
 * {@link Outcomes} classifies both the same way.
 */
public interface SimNode {

    String nodeId();

    String region();

    /** "r1-2#1": node and incarnation, the scope of the monotonic-read check for reads on this node. */
    String session();

    /** PRIMARY, SECONDARY, FENCED, ... as the node reports it ("-" when it cannot tell). */
    String regionRole();

    long appliedIndex();

    /** Writes {@code key = value} through this node; completes with the entry's position once acknowledged. */
    CompletableFuture<Position> put(String key, byte[] value);

    /** A linearizable read of {@code key} on this node (null value: unset). */
    CompletableFuture<byte[]> read(String key);

    /**
     * Planned switchover of this node's (primary) region to {@code target}, asked of this node (its
     * leader); returns the duration the node reports.
     */
    Duration switchover(String target, Duration timeout) throws Exception;
}
