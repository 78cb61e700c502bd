package io.meridian;

/** This region is not the primary: writes go to {@link #primaryRegion()}. */
public class NotPrimaryException extends MeridianException {

    private final String primaryRegion;
    private final long epoch;

    public NotPrimaryException(String message, String primaryRegion, long epoch) {
        super(message);
        this.primaryRegion = primaryRegion;
        this.epoch = epoch;
    }

    public String primaryRegion() {
        return primaryRegion;
    }

    public long epoch() {
        return epoch;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
