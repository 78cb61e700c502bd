package io.meridian.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Frames dropped on receipt, counted by reason. Thread-safe. */
public final class DropCounters {

    /** Why an inbound frame was dropped before reaching the listener. */
    public enum Reason { TRUNCATED, BAD_MAGIC, BAD_VERSION, UNKNOWN_TYPE, BAD_MAC, REPLAYED, MALFORMED }

    private final AtomicLongArray counts = new AtomicLongArray(Reason.values().length);

    public void increment(Reason reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    public long get(Reason reason) {
        return counts.get(reason.ordinal());
    }

    public long total() {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    public Map<Reason, Long> snapshot() {
        Map<Reason, Long> map = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            map.put(r, counts.get(r.ordinal()));
        }
        return map;
    }
}
