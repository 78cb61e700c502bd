package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.raft.Outcome;
import io.meridian.raft.RaftCommand;
import io.meridian.raft.RegionNode;
import io.meridian.wal.SessionTag;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The write path on the node that takes a write: admission, one Raft proposal, and the answer from
 * the replicated state (applied, already applied in the client's session, or refused at apply time).
 * Used for a client's own writes and for writes forwarded to this node.
 */
final class LocalWrites {

    private final ReplicatorContext ctx;
    private final NodeRuntime runtime;
    private final ErrorTranslation errors;

    LocalWrites(ReplicatorContext ctx, NodeRuntime runtime, ErrorTranslation errors) {
        this.ctx = ctx;
        this.runtime = runtime;
        this.errors = errors;
    }

    /** Throws the refusal when this node cannot take a write now. */
    void admit() {
        runtime.admission().check();
    }

    /**
     * Proposes a write already admitted by {@link #admit()}; {@code session} null for none. Completes
     * with its position, or the original write's position when the session already applied it.
     */
    CompletableFuture<Position> propose(byte[] payload, SessionTag session) {
        RegionNode region = runtime.regionNode();
        ClusterState state = region.clusterState();
        RaftCommand.Write write = new RaftCommand.Write(state.epoch(), System.currentTimeMillis(), payload, session);
        runtime.writeStarted();
        return region.propose(write)
                .whenComplete((o, e) -> runtime.writeFinished())
                .orTimeout(ctx.applyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((outcome, error) -> {
                    if (error != null) {
                        throw errors.translate(error, "write");
                    }
                    if (outcome instanceof Outcome.Applied applied) {
                        Position position = new Position(applied.epoch(), applied.index());
                        runtime.admission().checkAcknowledgement(position);
                        return position;
                    }
                    if (outcome instanceof Outcome.Duplicate d) {
                        // The original committed long ago, maybe in an older epoch: what must hold now is
                        // this primary's lease in its current epoch, as for any acknowledgement.
                        runtime.admission().checkAcknowledgement(new Position(write.epoch(), d.index()));
                        return new Position(d.epoch(), d.index());
                    }
                    if (outcome instanceof Outcome.StaleSession st) {
                        throw new StaleSessionException("sequence " + session.sequence() + " of client "
                                + session.clientId() + " is below its last applied sequence " + st.lastSequence()
                                + "; nothing was applied", st.lastSequence());
                    }
                    if (outcome instanceof Outcome.NotPrimary np) {
                        throw errors.notPrimary(np.state());
                    }
                    throw new IllegalStateException("unexpected outcome for a write: " + outcome);
                });
    }

    /**
     * A read index for a linearizable read served elsewhere: after a read barrier on this (primary
     * leader) node, with the lease checked after it, the index this node has applied. Any write
     * acknowledged before the request is at or below it.
     */
    CompletableFuture<Position> readIndex() {
        try {
            runtime.admission().checkRead();
        } catch (MeridianException e) {
            return CompletableFuture.failedFuture(e);
        }
        return runtime.regionNode().readBarrier()
                .orTimeout(ctx.applyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((ok, error) -> {
                    if (error != null) {
                        throw errors.translate(error, "read index");
                    }
                    runtime.admission().checkRead();
                    ClusterState s = runtime.regionNode().clusterState();
                    return new Position(s.appliedEpoch(), s.appliedIndex());
                });
    }
}
