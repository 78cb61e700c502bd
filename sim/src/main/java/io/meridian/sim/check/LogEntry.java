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
        return compact(e.index(), e.epoch(), e.isData() ? DATA : CONTROL, io.meridian.wal.SessionTag.userPayload(e));
    }

    public static LogEntry of(io.meridian.WalRecord e) {
        return compact(e.index(), e.epoch(), e.control() ? CONTROL : DATA, e.payload());
    }

    /** Payloads up to this size are kept whole; it covers a KV command's header, key and write id. */
    static final int KEPT_PREFIX = 3 + 1024 + 16;

    /**
     * An entry whose large payload is replaced by its first {@link #KEPT_PREFIX} bytes followed by
     * its SHA-256: the checker still reads the write id and still tells different payloads apart,
     * but holding every node's log costs kilobytes per entry, not the payload (6 nodes x 1 MiB
     * values would otherwise need gigabytes of heap at the end of a run).
     */
    public static LogEntry compact(long index, long epoch, byte type, byte[] payload) {
        if (payload == null || payload.length <= KEPT_PREFIX + 32) {
            return new LogEntry(index, epoch, type, payload);
        }
        byte[] out = Arrays.copyOf(payload, KEPT_PREFIX + 32);
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(payload);
            System.arraycopy(hash, 0, out, KEPT_PREFIX, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
        return new LogEntry(index, epoch, type, out);
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
