package io.meridian;

import java.nio.charset.StandardCharsets;

/**
 * How one write is made: whether it may be forwarded to the primary region's leader, and the client
 * session that makes it exactly-once. Immutable; each method returns a new instance.
 *
 * <pre>{@code
 * replicator.apply(bytes, WriteOptions.defaults().session("client-7", 42).forward(true));
 * replicator.apply(bytes, WriteOptions.defaults().idempotencyKey("order-1234"));
 * }</pre>
 *
 * <p><b>Sessions.</b> A client numbers its writes 1, 2, 3... and sends one at a time; a write whose
 * (client id, sequence) was already applied is not applied again: the retry completes with the
 * original {@link Position}. A sequence below the client's last applied one fails with
 * {@link StaleSessionException}. The replicated session table remembers the 65 536 most recently
 * writing clients (an idempotency key counts as one client); an evicted client's retry applies again.
 */
public final class WriteOptions {

    private static final WriteOptions DEFAULTS = new WriteOptions(null, null, 0);
    /** Longest client id or idempotency key, in UTF-8 bytes. */
    public static final int MAX_ID_BYTES = 120;

    private final Boolean forward;
    private final String sessionId;
    private final long sequence;

    private WriteOptions(Boolean forward, String sessionId, long sequence) {
        this.forward = forward;
        this.sessionId = sessionId;
        this.sequence = sequence;
    }

    /** No session; forwarding as the node's {@link ReplicatorContext#forwardWrites(boolean)} says. */
    public static WriteOptions defaults() {
        return DEFAULTS;
    }

    /** Forward this write to the primary's leader if this node cannot take it (overrides the node default). */
    public WriteOptions forward(boolean forward) {
        return new WriteOptions(forward, sessionId, sequence);
    }

    /** Exactly-once in the session of {@code clientId}; {@code sequence} >= 1, one more per new write. */
    public WriteOptions session(String clientId, long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1: " + sequence);
        }
        return new WriteOptions(forward, "c/" + checkId("clientId", clientId), sequence);
    }

    /** Exactly-once for a write named by a unique key (HTTP's {@code Idempotency-Key}). */
    public WriteOptions idempotencyKey(String key) {
        // A key is a client of its own with one write; the prefixes keep keys and client ids apart.
        return new WriteOptions(forward, "k/" + checkId("idempotency key", key), 1);
    }

    /** The explicit forwarding choice, or null to use the node's default. */
    Boolean forwardChoice() {
        return forward;
    }

    boolean forwards(ReplicatorContext ctx) {
        return forward != null ? forward : ctx.forwardWrites();
    }

    /** The session's id in the replicated table ("c/..." or "k/..."), null without a session. */
    String sessionId() {
        return sessionId;
    }

    long sequence() {
        return sequence;
    }

    private static String checkId(String what, String id) {
        if (id == null || id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new IllegalArgumentException(what + " must be 1.." + MAX_ID_BYTES + " UTF-8 bytes");
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new IllegalArgumentException(what + " must not contain control characters");
            }
        }
        return id;
    }

    @Override
    public String toString() {
        return "WriteOptions{forward=" + forward + (sessionId == null ? "" : ", session=" + sessionId + "#" + sequence)
                + "}";
    }
}
