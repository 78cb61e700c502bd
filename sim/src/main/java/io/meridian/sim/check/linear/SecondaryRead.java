package io.meridian.sim.check.linear;

import java.util.Objects;

/**
 * A read served by a region's local (possibly stale) read path, with what the serving replica
 * said about its applied prefix around the read.
 *
 * <p>The brackets are optional ({@link #NOT_OBSERVED}). With {@code KvStateMachine}, which publishes
 * {@code lastIndex} <em>before</em> applying that entry, take them inside the same {@code readStale}
 * call as the value: {@code before = kv.lastIndex() - 1} (entry {@code lastIndex} itself may still be
 * half-applied), then the value, then {@code after = kv.lastIndex()} (the value's entry has published
 * its index before becoming visible).
 *
 * @param op                 the read: kind READ; its {@code region} is the scope of the monotonic check
 *                           (a region, or a node id to check per node). Reads not OK are ignored
 * @param appliedIndexBefore every entry up to this index was visible before the value was read
 * @param appliedIndexAfter  no entry above this index was visible when the value was read
 */
public record SecondaryRead(Op op, long appliedIndexBefore, long appliedIndexAfter) {

    public static final long NOT_OBSERVED = -1;

    public SecondaryRead {
        Objects.requireNonNull(op, "op");
        if (!op.isRead()) {
            throw new IllegalArgumentException("op " + op.id() + " is not a read");
        }
        if (appliedIndexBefore != NOT_OBSERVED && appliedIndexAfter != NOT_OBSERVED
                && appliedIndexAfter < appliedIndexBefore) {
            throw new IllegalArgumentException("op " + op.id() + ": applied index after the read ("
                    + appliedIndexAfter + ") is below the one before (" + appliedIndexBefore + ")");
        }
    }

    /** A read without applied-index brackets: only the monotonic check applies to it. */
    public static SecondaryRead of(Op op) {
        return new SecondaryRead(op, NOT_OBSERVED, NOT_OBSERVED);
    }
}
