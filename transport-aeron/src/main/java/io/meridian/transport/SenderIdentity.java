package io.meridian.transport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who this node is on the wire: the fixed part of every frame header it sends.
 *
 * <p>The three names are UTF-8 encoded once here so the send path copies bytes instead of
 * re-encoding strings for every frame.
 *
 * @param incarnation identifies this process run; must grow across restarts of the same node
 *                    (see {@link #nextIncarnation()}) or receivers will treat the new run's frames
 *                    as replays until its sequence overtakes the old one
 */
public record SenderIdentity(String region, String node, String endpoint, long incarnation) {

    private static final AtomicLong LAST_INCARNATION = new AtomicLong();

    public SenderIdentity {
        requireName(region, "region");
        requireName(node, "node");
        requireName(endpoint, "endpoint");
    }

    /**
     * A fresh incarnation: wall-clock nanoseconds since the epoch, bumped if needed so that two
     * transports started in the same JVM (or in the same nanosecond) never share one.
     * Relies on wall clocks not stepping back across a restart by more than the restart took.
     */
    public static long nextIncarnation() {
        Instant wallClock = Instant.now();
        long now = wallClock.getEpochSecond() * 1_000_000_000L + wallClock.getNano();
        return LAST_INCARNATION.accumulateAndGet(now, (last, candidate) -> Math.max(last + 1, candidate));
    }

    /** The three names as u16-length-prefixed UTF-8, in header order. */
    byte[] encodedNames() {
        byte[] r = region.getBytes(StandardCharsets.UTF_8);
        byte[] n = node.getBytes(StandardCharsets.UTF_8);
        byte[] e = endpoint.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[6 + r.length + n.length + e.length];
        int at = 0;
        for (byte[] name : new byte[][] {r, n, e}) {
            out[at++] = (byte) name.length;
            out[at++] = (byte) (name.length >>> 8);
            System.arraycopy(name, 0, out, at, name.length);
            at += name.length;
        }
        return out;
    }

    private static void requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.getBytes(StandardCharsets.UTF_8).length > WireFormat.MAX_STRING_LENGTH) {
            throw new IllegalArgumentException(what + " must be 1.." + WireFormat.MAX_STRING_LENGTH
                + " UTF-8 bytes: '" + value + "'");
        }
    }
}
