package io.meridian;

/**
 * A write in a client session carried a sequence number below the client's last applied one. This
 * write was not applied now; whether the older write it repeats was applied is no longer recorded
 * (the session keeps only the client's last write). Not retriable: clients send one write at a time.
 */
public class StaleSessionException extends MeridianException {

    private final long lastSequence;

    public StaleSessionException(String message, long lastSequence) {
        super(message);
        this.lastSequence = lastSequence;
    }

    /** The client's last applied sequence number. */
    public long lastSequence() {
        return lastSequence;
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
