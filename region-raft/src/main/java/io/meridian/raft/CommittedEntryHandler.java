package io.meridian.raft;

import io.meridian.wal.WalEntry;

/**
 * What the region's Raft state machine calls to change the user's state. All three methods run on
 * the Raft apply thread, one at a time, in log order.
 */
public interface CommittedEntryHandler {

    /** Applies one data entry (already durable in the Raft log and appended to the WAL). */
    void applyData(WalEntry entry);

    /** Serialises the whole user state; called between two applies. */
    byte[] snapshot();

    /** Replaces the whole user state with a snapshot taken by {@link #snapshot()} on any node. */
    void restore(byte[] snapshot);
}
