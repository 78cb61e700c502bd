package io.meridian.raft;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;

/** A proposal or read that the region's Raft group did not carry out, with why. */
public final class RegionException extends RuntimeException {

    /**
     * Why. {@link #NOT_LEADER}, {@link #BUSY} and {@link #SHUTDOWN} mean the command never entered the
     * Raft log; {@link #UNKNOWN} means it may have, and may still commit under a later leader.
     */
    public enum Kind { NOT_LEADER, BUSY, SHUTDOWN, TIMEOUT, FAILED, UNKNOWN }

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

    /**
     * A failed proposal. Fail closed: JRaft reports "not the leader" (EPERM) both before an entry enters
     * the log and when a leader steps down with the entry already appended, and only the first means
     * "not applied". So only the refusals JRaft makes before appending are mapped to NOT_LEADER or BUSY;
     * anything else after a proposal is UNKNOWN: the entry may still commit under the next leader.
     */
    static RegionException fromProposal(Status status, String leaderHint) {
        RaftError error = status.getRaftError();
        String msg = status.getErrorMsg() == null ? "" : status.getErrorMsg();
        if (error == RaftError.EPERM && (msg.contains("Is not leader") || msg.contains("expected_term"))) {
            return new RegionException(Kind.NOT_LEADER, msg + " (" + error + ")", leaderHint);
        }
        if (error == RaftError.EBUSY && (msg.contains("busy") || msg.contains("transferring"))) {
            return new RegionException(Kind.BUSY, msg + " (" + error + ")", leaderHint);
        }
        if (error == RaftError.EINVAL && msg.startsWith("cannot apply")) {
            return new RegionException(Kind.FAILED, msg + " (" + error + ")", leaderHint);
        }
        return new RegionException(Kind.UNKNOWN, msg + " (" + error + "): the command may still be committed",
                leaderHint);
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
