package io.meridian;

/**
 * The user's replicated state: three methods, as in hashicorp/raft's FSM.
 *
 * <p>Threading contract: {@link #apply}, {@link #snapshot} and {@link #restore} are called by one
 * thread at a time (the region's Raft apply thread), in cluster-log order, on every node of every
 * region. Reads issued through {@link Replicator#read} run on the caller's thread concurrently with
 * apply, so state read there must be safe to read concurrently (e.g. a concurrent map).
 * Implementations must be deterministic: the same entries in the same order give the same state.
 */
public interface StateMachine {

    /**
     * Applies one committed write.
     *
     * @param index   the entry's cluster-log index (strictly increasing by one per data entry,
     *                except for gaps left by control entries)
     * @param payload the bytes given to {@link Replicator#apply(byte[])}
     */
    void apply(long index, byte[] payload);

    /** Serialises the whole state; called between applies. */
    byte[] snapshot();

    /** Replaces the whole state with one produced by {@link #snapshot()} (possibly on another node). */
    void restore(byte[] snapshot);
}
