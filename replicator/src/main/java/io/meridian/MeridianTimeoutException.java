package io.meridian;

/** A wait ran out. For a write, the outcome is UNKNOWN: it may still commit. */
public class MeridianTimeoutException extends OutcomeUnknownException {

    public MeridianTimeoutException(String message) {
        super(message);
    }
}
