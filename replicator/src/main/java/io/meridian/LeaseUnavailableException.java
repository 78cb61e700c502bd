package io.meridian;

/**
 * The primary region's leader cannot currently prove that a majority of voters backs it (its lease
 * is not held), typically for a moment after an in-region leader change or while voters are
 * unreachable. Heals by itself: retry shortly. The request was not carried out.
 */
public class LeaseUnavailableException extends MeridianException {

    private final String primaryRegion;
    private final long epoch;

    public LeaseUnavailableException(String message, String primaryRegion, long epoch) {
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
