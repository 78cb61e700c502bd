package io.meridian;

/**
 * A bounded-staleness read was refused: this node's region may be further behind the primary than
 * the read allows (or cannot tell, e.g. the primary has gone silent). Nothing was read. Retriable:
 * later, at another region, or at a stronger level.
 */
public class LagExceededException extends MeridianException {

    private final long lagMillis;
    private final long maxLagMillis;

    public LagExceededException(String message, long lagMillis, long maxLagMillis) {
        super(message);
        this.lagMillis = lagMillis;
        this.maxLagMillis = maxLagMillis;
    }

    /** How far behind the region may be, in ms ({@code Long.MAX_VALUE} when it cannot tell). */
    public long lagMillis() {
        return lagMillis;
    }

    public long maxLagMillis() {
        return maxLagMillis;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
