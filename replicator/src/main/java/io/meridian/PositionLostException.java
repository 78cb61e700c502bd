package io.meridian;

/**
 * The entry at a position's index belongs to another epoch here: the write at that position was part
 * of a divergent tail lost in a failover (see the exported divergent tail), so it will never be
 * applied in this region. Not retriable.
 */
public class PositionLostException extends MeridianException {

    private final Position position;
    private final long epochAtIndex;

    public PositionLostException(Position position, long epochAtIndex) {
        super("position " + position + " was lost in a failover: " + (epochAtIndex >= 0
                ? "index " + position.index() + " belongs to epoch " + epochAtIndex + " in this region"
                : "a newer epoch began in this region at or before index " + position.index())
                + "; see the old primary's exported divergent tail");
        this.position = position;
        this.epochAtIndex = epochAtIndex;
    }

    public Position position() {
        return position;
    }

    public long epochAtIndex() {
        return epochAtIndex;
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
