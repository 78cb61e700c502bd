package io.meridian;

/**
 * Where a write sits in the cluster log: the epoch of the primary that accepted it and its index.
 * Positions are totally ordered by index; the epoch distinguishes an entry from a divergent one at
 * the same index after an unplanned promotion.
 */
public record Position(long epoch, long index) implements Comparable<Position> {

    @Override
    public int compareTo(Position o) {
        return Long.compare(index, o.index);
    }

    @Override
    public String toString() {
        return epoch + ":" + index;
    }
}
