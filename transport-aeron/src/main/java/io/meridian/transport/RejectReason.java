package io.meridian.transport;

/** Why a receiver refused a frame or request. Codes are part of the wire format: never renumber. */
public enum RejectReason {
    STALE_EPOCH(1),
    NOT_LEADER(2),
    GAP(3),
    BAD_SECRET(4),
    DIVERGED(5),
    NOT_PRIMARY(6),
    OVERLOADED(7),
    UNKNOWN(99);

    private final int code;

    RejectReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static RejectReason fromCode(int code) {
        for (RejectReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return UNKNOWN;
    }
}
