package io.meridian;

/** This region was primary but is deposed (a newer epoch exists) or its lease expired; it accepts no writes. */
public class FencedException extends MeridianException {

    private final long knownEpoch;

    public FencedException(String message, long knownEpoch) {
        super(message);
        this.knownEpoch = knownEpoch;
    }

    /** Highest epoch this region knows of. */
    public long knownEpoch() {
        return knownEpoch;
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
