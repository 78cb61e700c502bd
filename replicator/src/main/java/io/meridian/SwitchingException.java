package io.meridian;

/** A planned switchover is draining this primary; retry shortly (likely against the new primary). */
public class SwitchingException extends MeridianException {

    public SwitchingException(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
