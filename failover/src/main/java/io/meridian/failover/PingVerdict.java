package io.meridian.failover;

/**
 * A voter's answer to a lease ping.
 *
 * @param vouch         true when the voter vouches for the pinger's lease
 * @param epoch         the voter's adopted epoch after the ping
 * @param primaryRegion the primary of that epoch; on a refusal this tells the pinger who deposed it
 * @param adopted       true when the ping made the voter adopt a newer epoch: the caller must persist
 *                      {@link VoterState} before answering
 */
public record PingVerdict(boolean vouch, long epoch, String primaryRegion, boolean adopted) {

    /** Kind of answer, for protocol encoding. */
    public enum Kind { VOUCH, REFUSE_STALE }

    public Kind kind() {
        return vouch ? Kind.VOUCH : Kind.REFUSE_STALE;
    }
}
