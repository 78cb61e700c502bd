package io.meridian;

/**
 * The write may or may not have been applied: it entered the Raft log, and then something went
 * wrong before Meridian could prove it committed safely (a leader step-down, a timeout, a lease that
 * ran out before the commit was acknowledged). It may still commit later, under another leader.
 * Retrying is safe only for idempotent writes; read back first otherwise. Every other
 * {@link MeridianException} from a write means the write was definitely not applied.
 */
public class OutcomeUnknownException extends MeridianException {

    public OutcomeUnknownException(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
