package io.meridian;

import io.meridian.transport.Message;

/**
 * The {@code status} codes of a {@link Message.ForwardReply}, and the one mapping between them and
 * the exceptions a client sees, on both ends of the hop. Codes are wire values: never reuse one.
 */
enum ForwardStatus {
    OK(0), NOT_LEADER(1), NOT_PRIMARY(2), NO_LEASE(3), SWITCHING(4), OVERLOADED(5), FENCED(6),
    OUTCOME_UNKNOWN(7), STALE_SESSION(8), INVALID(9);

    final int code;

    ForwardStatus(int code) {
        this.code = code;
    }

    static ForwardStatus of(int code) {
        for (ForwardStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return OUTCOME_UNKNOWN; // a code from a newer node: claim nothing about the outcome
    }

    /** The status for a failure on the answering node; anything unexpected is an unknown outcome. */
    static ForwardStatus of(Throwable e) {
        if (e instanceof NotLeaderException) {
            return NOT_LEADER;
        } else if (e instanceof NotPrimaryException) {
            return NOT_PRIMARY;
        } else if (e instanceof LeaseUnavailableException) {
            return NO_LEASE;
        } else if (e instanceof SwitchingException) {
            return SWITCHING;
        } else if (e instanceof OverloadedException || e instanceof ReplicatorClosedException) {
            return OVERLOADED;
        } else if (e instanceof FencedException) {
            return FENCED;
        } else if (e instanceof StaleSessionException) {
            return STALE_SESSION;
        } else if (e instanceof IllegalArgumentException) {
            return INVALID;
        }
        return OUTCOME_UNKNOWN;
    }

    /** True when the request was definitely not carried out. */
    boolean refused() {
        return this != OK && this != OUTCOME_UNKNOWN;
    }

    /** The client's exception for a refusal or unknown outcome relayed from {@code from}. */
    RuntimeException toException(Message.ForwardReply r, String from, PrimaryLeaders.Target target) {
        String detail = "forwarded to " + from + ": " + r.detail();
        return switch (this) {
            case NOT_LEADER, NOT_PRIMARY -> new NotPrimaryException(detail, r.primaryRegion(), r.epoch(),
                    r.leaderNode(), r.leaderNode().equals(target.nodeId()) ? target.endpoint() : "");
            case NO_LEASE -> new LeaseUnavailableException(detail, r.primaryRegion(), r.epoch());
            case SWITCHING -> new SwitchingException(detail);
            case OVERLOADED -> new OverloadedException(detail);
            case FENCED -> new FencedException(detail, r.epoch());
            case STALE_SESSION -> new StaleSessionException(detail, r.index());
            case INVALID -> new IllegalArgumentException(detail);
            case OK, OUTCOME_UNKNOWN -> new OutcomeUnknownException(detail);
        };
    }
}
