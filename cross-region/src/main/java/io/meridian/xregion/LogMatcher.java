package io.meridian.xregion;

/** The local log as a {@link ShipperWindow} needs to see it to detect a remote's divergent tail. */
@FunctionalInterface
public interface LogMatcher {

    /** True when the local cluster log has an entry at {@code index} created in {@code epoch}. */
    boolean matches(long index, long epoch);
}
