package io.meridian.raft;

/** What applying one proposed command did, as seen by the proposer on the leader. */
public sealed interface Outcome permits Outcome.Applied, Outcome.NotPrimary, Outcome.StaleEpoch, Outcome.Gap,
        Outcome.Done, Outcome.Vote, Outcome.Duplicate, Outcome.StaleSession {

    /** The command became cluster-log entry {@code index} in {@code epoch}. */
    record Applied(long epoch, long index) implements Outcome { }

    /**
     * A write in a client session that was already applied at {@code (epoch, index)}: nothing was
     * applied now, and that position is the original write's answer.
     */
    record Duplicate(long epoch, long index) implements Outcome { }

    /** A write in a session older than the client's last applied one; nothing was applied. */
    record StaleSession(long lastSequence) implements Outcome { }

    /** A client write refused at apply time: this region is no longer primary for its epoch. */
    record NotPrimary(ClusterState state) implements Outcome { }

    /** A batch or epoch change older than the region's epoch; nothing from it was applied. */
    record StaleEpoch(ClusterState state) implements Outcome { }

    /** A batch did not start at the next index; entries before the gap were applied. */
    record Gap(long expectedIndex, long appliedIndex) implements Outcome { }

    /**
     * This region's answer to a promotion vote, decided by the one voter rule on every node alike and
     * already durable (committed) when reported.
     */
    record Vote(boolean granted, String reason, ClusterState state) implements Outcome { }

    /**
     * Applied with nothing more to report (fence, image, batch fully applied or duplicate).
     * {@code applyStartNanos} ({@link System#nanoTime()}) is when this node began applying the
     * entry, i.e. learned it was committed; 0 when not measured. The lag anatomy splits a batch's
     * remote time at it.
     */
    record Done(long appliedIndex, long applyStartNanos) implements Outcome {
        public Done(long appliedIndex) {
            this(appliedIndex, 0);
        }
    }
}
