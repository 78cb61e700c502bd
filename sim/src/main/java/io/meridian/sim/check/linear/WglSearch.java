package io.meridian.sim.check.linear;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The Wing–Gong search (with Lowe's memoisation) for one key's register history.
 *
 * <p>Walk the events in time order. At a call, try to linearize that op now: if the register
 * allows it and the resulting (linearized set, state) pair was never reached before, commit it,
 * unlink its events and restart from the first event. At a return whose op is not linearized yet,
 * the ops chosen so far cannot be right: undo the latest choice and try the next candidate after
 * it. Reaching the end (or only the +infinity returns of unknown writes, which may stay
 * unlinearized) means a linearization exists; having to undo with nothing chosen means none does.
 *
 * <p>The cache is what makes this practical: without it, the same set of linearized ops in the same
 * state is explored once per order in which it can be reached.
 */
final class WglSearch {

    enum Status { LINEARIZABLE, VIOLATION, GAVE_UP }

    /**
     * What a search found.
     *
     * @param frontier       on a violation, the latest return event at which the search had to give
     *                       up a choice: the op of that event is the one that could not be placed
     * @param frontierStates register states reached just before that event (at most {@link #MAX_STATES})
     * @param prefix         a linearization of every op returning before the frontier, in order
     */
    record Result(Status status, long steps, int frontier, int[] frontierStates, int[] prefix) { }

    /** More distinct candidate states than this add nothing to a report. */
    static final int MAX_STATES = 8;

    private final KeyHistory h;
    private final EventList events;
    private final LinearizedSet linearized;
    private final Set<LinearizedSet.Snapshot> seen = new HashSet<>();
    private final int[] stackOp;
    private final int[] stackState;
    private int depth;
    private long steps;
    private int frontier = -1;
    private int[] frontierStates = new int[MAX_STATES];
    private int frontierStateCount;

    private WglSearch(KeyHistory h) {
        this.h = h;
        this.events = new EventList(2 * h.size());
        this.linearized = new LinearizedSet(h.size());
        this.stackOp = new int[h.size()];
        this.stackState = new int[h.size()];
    }

    /** Searches {@code h} for a linearization, giving up after {@code maxSteps} steps. */
    static Result run(KeyHistory h, long maxSteps) {
        WglSearch search = new WglSearch(h);
        Status status = search.search(maxSteps, -1);
        if (status != Status.VIOLATION) {
            return new Result(status, search.steps, -1, new int[0], new int[0]);
        }
        // Recording the chosen ops at every new frontier would copy the stack O(n) times; instead,
        // replay the (deterministic) search and stop the first time it backtracks at the frontier.
        WglSearch replay = new WglSearch(h);
        replay.search(search.steps, search.frontier);
        return new Result(Status.VIOLATION, search.steps, search.frontier,
                Arrays.copyOf(search.frontierStates, search.frontierStateCount),
                Arrays.copyOf(replay.stackOp, replay.depth));
    }

    /** @param stopAt a return event at which to stop with the stack as it is, or -1 */
    private Status search(long maxSteps, int stopAt) {
        int state = h.initialState;
        int event = events.first();
        while (true) {
            if (event == EventList.END || (!h.eventIsCall[event] && h.eventNeverReturns[event])) {
                return Status.LINEARIZABLE;
            }
            if (steps == maxSteps) {
                return Status.GAVE_UP;
            }
            steps++;
            int op = h.eventOp[event];
            if (h.eventIsCall[event]) {
                int next = h.apply(state, op);
                if (next >= 0) {
                    linearized.set(op);
                    if (seen.add(linearized.snapshot(next))) {
                        stackOp[depth] = op;
                        stackState[depth] = state;
                        depth++;
                        state = next;
                        events.lift(h.callPos[op], h.retPos[op]);
                        event = events.first();
                        continue;
                    }
                    linearized.clear(op);
                }
                event = events.next(event);
            } else {
                if (event == stopAt) {
                    return Status.VIOLATION;
                }
                noteFrontier(event, state);
                if (depth == 0) {
                    return Status.VIOLATION;
                }
                depth--;
                int undone = stackOp[depth];
                state = stackState[depth];
                linearized.clear(undone);
                events.unlift(h.callPos[undone], h.retPos[undone]);
                event = events.next(h.callPos[undone]);
            }
        }
    }

    private void noteFrontier(int event, int state) {
        if (event > frontier) {
            frontier = event;
            frontierStateCount = 0;
        }
        if (event == frontier && frontierStateCount < MAX_STATES) {
            for (int i = 0; i < frontierStateCount; i++) {
                if (frontierStates[i] == state) {
                    return;
                }
            }
            frontierStates[frontierStateCount++] = state;
        }
    }
}
