package io.meridian.wal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far each named consumer has got, so retention can keep what the slowest one still needs.
 *
 * <p>The latest report wins, even when it is lower than an earlier one: a consumer that rewinds (a
 * remote region that dropped a divergent tail) needs those entries again, and holding more back is
 * the safe mistake for a retention rule. Positions live in memory only; after a restart consumers
 * must report again before {@link Wal#release} can be trusted to honour them.
 */
final class ConsumerPositions {

    private final Map<String, Long> passed = new ConcurrentHashMap<>();

    void passed(String name, long index) {
        passed.put(Objects.requireNonNull(name, "name"), index);
    }

    void remove(String name) {
        passed.remove(name);
    }

    /** Highest index every consumer is done with; {@link Long#MAX_VALUE} when none is registered. */
    long releasableUpTo() {
        long min = Long.MAX_VALUE;
        for (long index : passed.values()) {
            min = Math.min(min, index);
        }
        return min;
    }
}
