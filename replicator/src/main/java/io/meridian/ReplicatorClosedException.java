package io.meridian;

/** The Replicator was closed or never started. */
public class ReplicatorClosedException extends MeridianException {

    public ReplicatorClosedException(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
