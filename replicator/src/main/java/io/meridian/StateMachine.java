package io.meridian;

/**
 * The user's replicated state: three methods, as in hashicorp/raft's FSM.
 *
 * <p>Threading contract: {@link #apply}, {@link #snapshot} and {@link #restore} are called by one
 * thread at a time (the region's Raft apply thread), in cluster-log order, on every node of every
 * region. Reads issued through {@link Replicator#read} run on the caller's thread concurrently with
 * apply, so state read there must be safe to read concurrently (e.g. a concurrent map).
 * Implementations must be deterministic: the same entries in the same order give the same state.
 *
 * <p><b>Failures.</b> {@link #apply} must either take the entry or throw having changed nothing. If it
 * throws, the node does not skip the entry: it stops applying (JRaft's error state), steps down if it
 * led, and reports the exception in {@link Health#stateMachineError()} ({@code /health} answers 503).
 * The entry was not appended to this node's WAL either (the state takes an entry before the WAL does),
 * so the WAL never holds an entry the state lacks. The rest of the region keeps committing as long as
 * a majority still applies. The node recovers by a restart once the cause is gone: it restores its
 * last snapshot and replays the Raft log (or is re-seeded with a snapshot from the leader). A
 * <em>deterministic</em> failure (a bug triggered by the entry's content) hits every node that applies
 * the entry: the whole region stops applying and is unavailable until the code is fixed and the nodes
 * restarted; other regions stop at the same entry when it reaches them. Reject bad input before
 * {@link Replicator#apply} rather than throw here. {@link #restore} failing while a state image is
 * installed is handled the same way.
 */
public interface StateMachine {

    /**
     * Applies one committed write. Throwing stops this node's state machine (see the class comment).
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
