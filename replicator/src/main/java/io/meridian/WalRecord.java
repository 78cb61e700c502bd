package io.meridian;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a node's WAL as seen through {@link WalView}: a cluster-log entry.
 *
 * @param index           dense cluster-log index, starting at 1
 * @param epoch           epoch in which the primary created the entry
 * @param originRegion    region whose primary created the entry
 * @param timestampMillis wall-clock time at the origin when the entry was proposed
 * @param control         true for a control record (epoch change...), false for a user write
 * @param payload         the user's bytes for a write, an encoded control record otherwise
 */
public record WalRecord(long index, long epoch, String originRegion, long timestampMillis, boolean control,
                        byte[] payload) {

    public WalRecord {
        Objects.requireNonNull(originRegion, "originRegion");
        Objects.requireNonNull(payload, "payload");
    }

    /** Same cluster-log content (the record is the content: two records are equal when it is). */
    public boolean sameContentAs(WalRecord other) {
        return equals(other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WalRecord r && index == r.index && epoch == r.epoch && control == r.control
                && timestampMillis == r.timestampMillis && originRegion.equals(r.originRegion)
                && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "WalRecord{index=" + index + ", epoch=" + epoch + ", origin=" + originRegion
                + (control ? ", control" : ", data") + ", bytes=" + payload.length + "}";
    }
}
