package io.meridian.sim.check.linear;

/**
 * The doubly linked list of call/return events the search walks. Linearizing an op unlinks its two
 * events; backtracking relinks them. Relinking in the reverse order of unlinking restores the exact
 * neighbours ("dancing links"), so both are O(1) and no event is ever copied.
 */
final class EventList {

    static final int END = -1;

    private final int[] next;
    private final int[] prev;
    /** Sentinel before the first event. */
    private final int head;

    EventList(int events) {
        next = new int[events + 1];
        prev = new int[events + 1];
        head = events;
        next[head] = events == 0 ? END : 0;
        for (int i = 0; i < events; i++) {
            prev[i] = i == 0 ? head : i - 1;
            next[i] = i + 1 < events ? i + 1 : END;
        }
    }

    int first() {
        return next[head];
    }

    int next(int event) {
        return next[event];
    }

    /** Removes an op's call and return events (call before return in the list). */
    void lift(int call, int ret) {
        unlink(call);
        unlink(ret);
    }

    /** Undoes the latest {@link #lift} still in effect. */
    void unlift(int call, int ret) {
        relink(ret);
        relink(call);
    }

    private void unlink(int e) {
        next[prev[e]] = next[e];
        if (next[e] != END) {
            prev[next[e]] = prev[e];
        }
    }

    private void relink(int e) {
        next[prev[e]] = e;
        if (next[e] != END) {
            prev[next[e]] = e;
        }
    }
}
