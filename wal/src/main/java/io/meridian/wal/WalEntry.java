package io.meridian.wal;

import java.util.Arrays;
import java.util.Objects;

/**
 * One committed entry of the cluster log, as held in a node's WAL.
 *
 * <p>{@code index} is the dense cluster-log index (the WAL's key): every region's WAL is a prefix of
 * the same cluster log, so index N means the same entry everywhere (unless a failover made a
 * divergent tail). The Raft index and term are fields only: Raft indexes skip configuration entries
 * and differ between regions.
 *
 * @param index           dense cluster-log index, starting at 1
 * @param raftIndex       index of the Raft log entry that committed it in this region
 * @param raftTerm        term of that Raft log entry
 * @param epoch           region epoch in which the primary created the entry
 * @param originRegion    region whose primary created the entry
 * @param timestampMillis wall-clock time at the origin when the entry was proposed (for lag)
 * @param type            {@link #TYPE_DATA}, {@link #TYPE_SESSION_DATA} or {@link #TYPE_CONTROL}
 * @param payload         user bytes for data entries, a {@link SessionTag} and the user bytes for
 *                        session-data entries, an encoded control record otherwise
 */
public record WalEntry(long index, long raftIndex, long raftTerm, long epoch, String originRegion,
                       long timestampMillis, byte type, byte[] payload) {

    /** A user write. */
    public static final byte TYPE_DATA = 1;
    /** A control record (epoch change, hand-over) that travels in log order with the data. */
    public static final byte TYPE_CONTROL = 2;
    /** A user write made in a client session (exactly-once): payload = {@link SessionTag} + user bytes. */
    public static final byte TYPE_SESSION_DATA = 3;

    public WalEntry {
        if (index < 1) {
            throw new IllegalArgumentException("index must be >= 1: " + index);
        }
        Objects.requireNonNull(originRegion, "originRegion");
        Objects.requireNonNull(payload, "payload");
        if (type != TYPE_DATA && type != TYPE_CONTROL && type != TYPE_SESSION_DATA) {
            throw new IllegalArgumentException("unknown entry type " + type);
        }
        if (type == TYPE_SESSION_DATA && !SessionTag.wellFormed(payload)) {
            throw new IllegalArgumentException("malformed session-data payload at index " + index);
        }
    }

    /** True for a user write, with or without a session. */
    public boolean isData() {
        return type == TYPE_DATA || type == TYPE_SESSION_DATA;
    }

    /** Same entry content, a different local Raft placement (a remote region re-commits it). */
    public WalEntry withRaftPosition(long newRaftIndex, long newRaftTerm) {
        return new WalEntry(index, newRaftIndex, newRaftTerm, epoch, originRegion, timestampMillis, type, payload);
    }

    /** True when two entries hold the same cluster-log content (Raft placement is local and ignored). */
    public boolean sameContentAs(WalEntry other) {
        return index == other.index && epoch == other.epoch && type == other.type
                && timestampMillis == other.timestampMillis && originRegion.equals(other.originRegion)
                && Arrays.equals(payload, other.payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WalEntry e && sameContentAs(e) && raftIndex == e.raftIndex && raftTerm == e.raftTerm;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "WalEntry{index=" + index + ", epoch=" + epoch + ", origin=" + originRegion + ", type=" + type
                + ", raft=" + raftIndex + "/" + raftTerm + ", bytes=" + payload.length + "}";
    }
}
