package io.meridian.wal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The client session a write was made in: a client id and that client's sequence number. It travels
 * inside a {@link WalEntry#TYPE_SESSION_DATA} entry, ahead of the user's bytes, so that every node of
 * every region (secondaries included, through shipping) records the same session table in log order
 * and deduplicates a retried write identically, also after a promotion.
 *
 * <p>Layout of a session-data payload (big-endian): client id length (u16), UTF-8 client id,
 * sequence (i64), then the user's bytes. This class is the one definition of that layout.
 */
public record SessionTag(String clientId, long sequence) {

    /** Longest client id in UTF-8 bytes; the session table's size bound assumes it. */
    public static final int MAX_CLIENT_ID_BYTES = 128;

    public SessionTag {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isEmpty() || clientId.getBytes(StandardCharsets.UTF_8).length > MAX_CLIENT_ID_BYTES) {
            throw new IllegalArgumentException("client id must be 1.." + MAX_CLIENT_ID_BYTES + " UTF-8 bytes");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0: " + sequence);
        }
    }

    /** The payload of a session-data entry: this tag followed by the user's bytes. */
    public byte[] wrap(byte[] userPayload) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + id.length + 8 + userPayload.length)
                .putShort((short) id.length).put(id).putLong(sequence).put(userPayload).array();
    }

    /** The tag of a session-data entry, null for any other entry. */
    public static SessionTag of(WalEntry entry) {
        return entry.type() == WalEntry.TYPE_SESSION_DATA ? read(entry.payload()) : null;
    }

    /** The tag at the start of a session-data payload made by {@link #wrap}. */
    public static SessionTag read(byte[] sessionPayload) {
        ByteBuffer b = ByteBuffer.wrap(sessionPayload);
        byte[] id = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(id);
        return new SessionTag(new String(id, StandardCharsets.UTF_8), b.getLong());
    }

    /** The user's bytes of a data entry (with or without a session), the encoded record of a control entry. */
    public static byte[] userPayload(WalEntry entry) {
        return entry.type() == WalEntry.TYPE_SESSION_DATA ? unwrap(entry.payload()) : entry.payload();
    }

    /** The user's bytes of a session-data payload made by {@link #wrap}. */
    public static byte[] unwrap(byte[] p) {
        int header = 2 + (((p[0] & 0xFF) << 8) | (p[1] & 0xFF)) + 8;
        return java.util.Arrays.copyOfRange(p, header, p.length);
    }

    /** Checks that a session-data payload is well formed (a shipped entry from an untrusted decode). */
    static boolean wellFormed(byte[] payload) {
        if (payload.length < 2) {
            return false;
        }
        int idLength = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        return idLength >= 1 && idLength <= MAX_CLIENT_ID_BYTES && payload.length >= 2 + idLength + 8;
    }
}
