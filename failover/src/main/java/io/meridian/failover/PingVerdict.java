package io.meridian.failover;

/**
 * A voter's answer to a lease ping.
 *
 * @param kind what to answer
 * @param next the voter's state afterwards; persist it first when it differs from the state before
 */
public record PingVerdict(Kind kind, VoterState next) {

    /** Kind of answer, for protocol encoding. */
    public enum Kind {
        /** Vouch for the pinger's lease. */
        VOUCH,
        /** The pinger is deposed: answer with the established epoch and primary so it fences itself. */
        REFUSE_STALE,
        /**
         * Do not vouch, but do not fence either: this voter promised a newer epoch to a candidate whose
         * promotion may still fail. Silence is the answer; the pinger's lease runs out on its own.
         */
        REFUSE_PROMISED
    }

    public boolean vouch() {
        return kind == Kind.VOUCH;
    }

    /** True when the ping made the voter adopt a newer established epoch. */
    public boolean adopted(VoterState before) {
        return !next.equals(before);
    }
}
