package io.meridian;

/** The region cannot take more work right now (Raft apply queue full, shipping window full). */
public class OverloadedException extends MeridianException {

    public OverloadedException(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
