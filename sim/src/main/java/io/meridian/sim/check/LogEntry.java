package io.meridian.sim.check;

import io.meridian.wal.WalEntry;

import java.util.Arrays;

/**
 * The part of a WAL entry the checker needs. A separate type so tests can feed synthetic logs.
 *
 * @param index   dense cluster-log index
 * @param epoch   epoch in which the entry was created
 * @param type    {@link #DATA} or {@link #CONTROL}
 * @param payload the KV command for DATA entries
 */
public record LogEntry(long index, long epoch, byte type, byte[] payload) {

    public static final byte DATA = WalEntry.TYPE_DATA;
    public static final byte CONTROL = WalEntry.TYPE_CONTROL;

    public static LogEntry of(WalEntry e) {
        return new LogEntry(e.index(), e.epoch(), e.type(), e.payload());
    }

    public static LogEntry data(long index, long epoch, byte[] payload) {
        return new LogEntry(index, epoch, DATA, payload);
    }

    public boolean isData() {
        return type == DATA;
    }

    /** The workload write id in this entry, or -1 for control entries and foreign payloads. */
    public int writeId() {
        return isData() ? WriteRecord.writeIdOf(payload) : -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e && index == e.index && epoch == e.epoch && type == e.type
                && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "LogEntry{" + epoch + ":" + index + ", type=" + type + ", bytes=" + payload.length + "}";
    }
}
