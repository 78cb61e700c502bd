package io.meridian.sim.check.linear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One key's history, reduced to what the search needs: the ops that constrain linearizability,
 * numbered by invocation order, values interned to ints, and their call/return events in time order.
 *
 * <p>Which ops are kept, and why:
 * <ul>
 *   <li>FAIL ops are dropped: they definitely had no effect and observed nothing.</li>
 *   <li>UNKNOWN reads are dropped: whatever they returned never reached the client.</li>
 *   <li>UNKNOWN writes never return (their return event is at +infinity): they may take effect any
 *       time after their invocation, or never. One whose value no OK read returned is dropped
 *       altogether: if it took effect, the next write overwrote it before any read, so removing it
 *       keeps any linearization valid. This matters for speed: each pending unknown write doubles
 *       the states the search may explore.</li>
 * </ul>
 */
final class KeyHistory {

    /** Interned id of the absent value. */
    static final int ABSENT = 0;

    final String key;
    /** Kept ops, ordered by invocation; an op's index here is its number in the search. */
    final Op[] ops;
    /** Every op of the key as given, for the hints in violation descriptions. */
    final List<Op> input;
    final int dropped;
    final int initialState;
    /** Interned value per kept op. */
    private final int[] valueOf;
    private final boolean[] isWrite;
    /** Id to value; index {@link #ABSENT} holds null. */
    private final List<String> values;

    /** Events in time order, calls before returns at equal times (equal stamps are treated as overlapping). */
    final int[] eventOp;
    final boolean[] eventIsCall;
    final boolean[] eventNeverReturns;
    /** Position of each op's call and return event. */
    final int[] callPos;
    final int[] retPos;

    private KeyHistory(String key, List<Op> input, List<Op> kept, String initialValue) {
        this.key = key;
        this.input = Collections.unmodifiableList(input);
        this.dropped = input.size() - kept.size();
        kept.sort(Comparator.comparingLong(Op::invokeNanos).thenComparingLong(KeyHistory::returnTime)
                .thenComparingLong(Op::id));
        this.ops = kept.toArray(new Op[0]);
        int n = ops.length;

        Map<String, Integer> ids = new HashMap<>();
        values = new ArrayList<>();
        values.add(null);
        valueOf = new int[n];
        isWrite = new boolean[n];
        for (int i = 0; i < n; i++) {
            valueOf[i] = intern(ids, ops[i].value());
            isWrite[i] = ops[i].isWrite();
        }
        initialState = intern(ids, initialValue);

        // Calls are already in time order; sort the returns and merge the two sequences.
        Integer[] byReturn = new Integer[n];
        for (int i = 0; i < n; i++) {
            byReturn[i] = i;
        }
        Arrays.sort(byReturn, Comparator.<Integer>comparingLong(i -> returnTime(ops[i])).thenComparingInt(i -> i));
        eventOp = new int[2 * n];
        eventIsCall = new boolean[2 * n];
        eventNeverReturns = new boolean[2 * n];
        callPos = new int[n];
        retPos = new int[n];
        int c = 0;
        int r = 0;
        for (int pos = 0; pos < 2 * n; pos++) {
            boolean takeCall = c < n && (r == n || ops[c].invokeNanos() <= returnTime(ops[byReturn[r]]));
            if (takeCall) {
                eventOp[pos] = c;
                eventIsCall[pos] = true;
                callPos[c++] = pos;
            } else {
                int op = byReturn[r++];
                eventOp[pos] = op;
                eventNeverReturns[pos] = returnTime(ops[op]) == Op.NEVER;
                retPos[op] = pos;
            }
        }
    }

    /** Prepares {@code ops} (all of one key) for the search. */
    static KeyHistory prepare(String key, List<Op> ops, String initialValue) {
        return prepare(key, ops, initialValue, true);
    }

    /** As {@link #prepare(String, List, String)}; tests turn the unread-unknown-write pruning off. */
    static KeyHistory prepare(String key, List<Op> ops, String initialValue, boolean dropUnreadUnknownWrites) {
        Set<String> read = new HashSet<>();
        for (Op op : ops) {
            if (!key.equals(op.key())) {
                throw new IllegalArgumentException("op " + op.id() + " is on key " + op.key() + ", not " + key);
            }
            if (op.isRead() && op.outcome() == Op.Outcome.OK) {
                read.add(op.value());
            }
        }
        List<Op> kept = new ArrayList<>();
        for (Op op : ops) {
            boolean keep = switch (op.outcome()) {
                case OK -> true;
                case FAIL -> false;
                case UNKNOWN -> op.isWrite() && (!dropUnreadUnknownWrites || read.contains(op.value()));
            };
            if (keep) {
                kept.add(op);
            }
        }
        return new KeyHistory(key, new ArrayList<>(ops), kept, initialValue);
    }

    /** +infinity for an UNKNOWN write: it may take effect at any time after its invocation. */
    static long returnTime(Op op) {
        return op.outcome() == Op.Outcome.OK ? op.completeNanos() : Op.NEVER;
    }

    int size() {
        return ops.length;
    }

    /** The register state after applying op {@code op} in state {@code state}, or -1 if the op cannot happen there. */
    int apply(int state, int op) {
        if (isWrite[op]) {
            return valueOf[op];
        }
        return valueOf[op] == state ? state : -1;
    }

    String value(int state) {
        return values.get(state);
    }

    private int intern(Map<String, Integer> ids, String value) {
        if (value == null) {
            return ABSENT;
        }
        Integer id = ids.get(value);
        if (id == null) {
            id = values.size();
            values.add(value);
            ids.put(value, id);
        }
        return id;
    }
}
