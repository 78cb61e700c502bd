package io.meridian.failover;

/** Why a write was not admitted. */
public enum Refusal {
    /** This node is not the Raft leader of its region; retry on the leader. */
    NOT_LEADER(true),
    /** This region is not the primary; send writes to the primary region named in the message. */
    NOT_PRIMARY(false),
    /** A planned switchover is draining writes; retry shortly. */
    SWITCHING(true),
    /** The primary cannot prove a majority still backs it; retry shortly. */
    LEASE_EXPIRED(true),
    /** A newer epoch exists; this region is no longer primary. */
    FENCED(false),
    /** This region is being promoted; retry shortly. */
    PROMOTING(true);

    private final boolean retriable;

    Refusal(boolean retriable) {
        this.retriable = retriable;
    }

    /** True when retrying the same region may succeed; false when the client should go elsewhere. */
    public boolean retriable() {
        return retriable;
    }
}
