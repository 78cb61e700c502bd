package io.meridian.raft;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;

/** A proposal or read that the region's Raft group did not carry out, with why. */
public final class RegionException extends RuntimeException {

    /** Why. */
    public enum Kind { NOT_LEADER, BUSY, SHUTDOWN, TIMEOUT, FAILED }

    private final Kind kind;
    private final String leaderHint;

    public RegionException(Kind kind, String message, String leaderHint) {
        super(message);
        this.kind = kind;
        this.leaderHint = leaderHint == null ? "" : leaderHint;
    }

    public Kind kind() {
        return kind;
    }

    /** The current leader's Raft endpoint when known, else empty. */
    public String leaderHint() {
        return leaderHint;
    }

    static RegionException from(Status status, String leaderHint) {
        RaftError error = status.getRaftError();
        Kind kind = switch (error == null ? RaftError.UNKNOWN : error) {
            case EPERM, ELEADERREMOVED, ENEWLEADER, ELEADERCONFLICT -> Kind.NOT_LEADER;
            case EBUSY, EAGAIN -> Kind.BUSY;
            case ESHUTDOWN, ENODESHUTDOWN, ESTOP -> Kind.SHUTDOWN;
            case ETIMEDOUT -> Kind.TIMEOUT;
            default -> Kind.FAILED;
        };
        return new RegionException(kind, status.getErrorMsg() + " (" + error + ")", leaderHint);
    }
}
