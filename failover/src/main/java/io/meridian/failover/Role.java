package io.meridian.failover;

/** What a region is doing, as seen by one of its nodes. */
public enum Role {
    /** Primary of the current epoch and able to accept writes (on the leader: the lease holds). */
    PRIMARY,
    /** Primary handing over to another region; writes are paused. */
    SWITCHING,
    /**
     * Primary of the current epoch per the replicated state but unable to write: a higher epoch is
     * known, or (on the leader, lease enabled) no majority currently vouches for it.
     */
    FENCED_PRIMARY,
    /** Secondary whose leader is trying to become primary. */
    PROMOTING,
    /** Follows another region's primary. */
    SECONDARY
}
