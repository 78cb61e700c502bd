package io.meridian.raft;

import io.meridian.wal.SessionTag;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Raft-style client sessions: for each client id, the last sequence number applied and where it
 * landed in the cluster log. Part of the replicated state: changed only on the Raft apply thread, in
 * log order, by every node of every region (the tag travels with the entry), snapshotted and carried
 * in state images, so that every node answers a retried write the same way.
 *
 * <p>Bounded to {@link #CAPACITY} clients, least recently written evicted first. The order is part of
 * the state (encoded in it), so eviction is deterministic across nodes, restarts and images. A client
 * evicted from the table is no longer protected: its retry would apply again. Not thread-safe.
 */
public final class SessionTable {

    /** Clients remembered; one definition for every node (a per-node setting would make them diverge). */
    public static final int CAPACITY = 65_536;

    private static final byte VERSION = 1;

    /** A client's last applied write: its sequence and cluster-log position. */
    public record Session(long sequence, long epoch, long index) { }

    /** What a write in a session should do, decided before it is given an index. */
    public sealed interface Check permits Fresh, Duplicate, Stale { }

    /** Not seen before: apply it. */
    public record Fresh() implements Check { }

    /** Already applied at {@code (epoch, index)}: answer that, apply nothing. */
    public record Duplicate(long epoch, long index) implements Check { }

    /** Older than the client's last applied sequence: refuse, its own result is no longer kept. */
    public record Stale(long lastSequence) implements Check { }

    private final int capacity;
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>();

    public SessionTable() {
        this(CAPACITY);
    }

    SessionTable(int capacity) {
        this.capacity = capacity;
    }

    public Check check(SessionTag tag) {
        Session s = sessions.get(tag.clientId());
        if (s == null || tag.sequence() > s.sequence()) {
            return new Fresh();
        }
        if (tag.sequence() == s.sequence()) {
            return new Duplicate(s.epoch(), s.index());
        }
        return new Stale(s.sequence());
    }

    /** Records an applied session write (the entry at {@code index} of {@code epoch}). */
    public void record(SessionTag tag, long epoch, long index) {
        sessions.remove(tag.clientId());
        sessions.put(tag.clientId(), new Session(tag.sequence(), epoch, index));
        Iterator<String> oldest = sessions.keySet().iterator();
        while (sessions.size() > capacity) {
            oldest.next();
            oldest.remove();
        }
    }

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    public int size() {
        return sessions.size();
    }

    /** Replaces the whole table (snapshot load, image install). */
    public void replaceWith(SessionTable other) {
        sessions.clear();
        sessions.putAll(other.sessions);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + sessions.size() * 48);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(sessions.size());
            for (Map.Entry<String, Session> e : sessions.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue().sequence());
                out.writeLong(e.getValue().epoch());
                out.writeLong(e.getValue().index());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes {@link #encode()}'s output; an empty array is an empty table (older snapshots). */
    public static SessionTable decode(byte[] encoded) throws IOException {
        SessionTable table = new SessionTable();
        if (encoded.length == 0) {
            return table;
        }
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded));
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("unsupported session table version " + version);
        }
        int n = in.readInt();
        if (n < 0 || n > CAPACITY) {
            throw new IOException("implausible session count " + n);
        }
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            table.sessions.put(id, new Session(in.readLong(), in.readLong(), in.readLong()));
        }
        return table;
    }
}
