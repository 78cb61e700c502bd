package io.meridian.sim.check;

import io.meridian.sim.check.linear.SecondaryRead;

import java.util.Objects;

/**
 * A local (possibly stale) read on a secondary node, with the node's applied position just before
 * and just after it. The positions let the run checker tell whether the replica's state at the time
 * was a prefix of the final log: a secondary that later discards a divergent tail (after a promotion
 * with data loss) legitimately shows writes no region kept, and those reads are judged apart.
 *
 * @param read        the read with its applied-index brackets
 * @param epochBefore epoch of the node's applied position before the read
 * @param indexBefore index of that position
 * @param epochAfter  epoch of the node's applied position after the read (covering the value's entry)
 * @param indexAfter  index of that position
 */
public record StaleRead(SecondaryRead read, long epochBefore, long indexBefore, long epochAfter, long indexAfter) {

    public StaleRead {
        Objects.requireNonNull(read, "read");
    }
}
