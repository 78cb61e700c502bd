package io.meridian.transport;

/**
 * Why a receiver refused a frame or request. Codes are part of the wire format: never renumber, never
 * reuse. Reserved (once defined, never sent, removed): 4 (BAD_SECRET), 6 (NOT_PRIMARY); a frame carrying
 * them, or any code not listed, decodes as {@link #UNKNOWN}.
 */
public enum RejectReason {
    STALE_EPOCH(1),
    NOT_LEADER(2),
    GAP(3),
    DIVERGED(5),
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
