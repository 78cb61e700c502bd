package io.meridian;

import java.time.Duration;
import java.util.Objects;

/**
 * What a read guarantees, and so where it may run ({@link Replicator#read(ReadLevel, java.util.concurrent.Callable)}):
 *
 * <table>
 * <caption>read levels</caption>
 * <tr><th>level</th><th>where it runs</th><th>guarantee</th></tr>
 * <tr><td>{@link #linearizable()}</td><td>the primary region's leader, or any node with forwarding (it
 *     asks that leader for a read index and waits until it applied that far)</td><td>linearizable</td></tr>
 * <tr><td>{@link #session(Position)}</td><td>any node</td><td>waits until the client's last position is
 *     applied there (read-your-writes, monotonic reads)</td></tr>
 * <tr><td>{@link #bounded(Duration)}</td><td>a secondary region (the primary region too)</td><td>fails fast with
 *     {@link LagExceededException} if the region may be further behind than {@code maxLag}</td></tr>
 * <tr><td>{@link #local()}</td><td>any node</td><td>none: whatever this node has applied</td></tr>
 * </table>
 */
public final class ReadLevel {

    /** The kinds of level. */
    public enum Kind { LINEARIZABLE, SESSION, BOUNDED, LOCAL }

    private static final ReadLevel LOCAL = new ReadLevel(Kind.LOCAL, null, null, null);
    private static final ReadLevel LINEARIZABLE = new ReadLevel(Kind.LINEARIZABLE, null, null, null);

    private final Kind kind;
    private final Position after;
    private final Duration maxLag;
    private final Boolean forward;

    private ReadLevel(Kind kind, Position after, Duration maxLag, Boolean forward) {
        this.kind = kind;
        this.after = after;
        this.maxLag = maxLag;
        this.forward = forward;
    }

    /** Linearizable; forwarded for a read index as the node's {@code forwardWrites} says. */
    public static ReadLevel linearizable() {
        return LINEARIZABLE;
    }

    /** Read-your-writes: waits (up to {@code applyTimeout}) until this node applied {@code after}. */
    public static ReadLevel session(Position after) {
        return new ReadLevel(Kind.SESSION, Objects.requireNonNull(after, "after"), null, null);
    }

    /** Served locally only while this node's region is at most {@code maxLag} behind the primary. */
    public static ReadLevel bounded(Duration maxLag) {
        if (maxLag == null || maxLag.isNegative()) {
            throw new IllegalArgumentException("maxLag must be >= 0: " + maxLag);
        }
        return new ReadLevel(Kind.BOUNDED, null, maxLag, null);
    }

    /** No guarantee: this node's state as it is. */
    public static ReadLevel local() {
        return LOCAL;
    }

    /** For {@link #linearizable()}: ask the primary's leader for a read index when this node cannot serve it. */
    public ReadLevel forward(boolean forward) {
        if (kind != Kind.LINEARIZABLE) {
            throw new IllegalStateException("only linearizable reads are forwarded");
        }
        return new ReadLevel(kind, null, null, forward);
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#SESSION}: the position to wait for; null otherwise. */
    public Position after() {
        return after;
    }

    /** For {@link Kind#BOUNDED}: the largest lag accepted; null otherwise. */
    public Duration maxLag() {
        return maxLag;
    }

    boolean forwards(ReplicatorContext ctx) {
        return forward != null ? forward : ctx.forwardWrites();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LINEARIZABLE -> "linearizable" + (forward == null ? "" : "(forward=" + forward + ")");
            case SESSION -> "session(" + after + ")";
            case BOUNDED -> "bounded(" + maxLag.toMillis() + " ms)";
            case LOCAL -> "local";
        };
    }
}
