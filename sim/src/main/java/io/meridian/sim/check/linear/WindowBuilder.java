package io.meridian.sim.check.linear;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a failed search into a {@link LinearViolation}: picks the few ops a reader needs to see why
 * the failing op cannot be placed, and names the anomaly when it is one of the classic ones.
 *
 * <p>Window priority, until {@link LinearOptions#maxWindowOps()} is reached: the failing op; the
 * ops the diagnosis cites (a read from the future or a stale read is only evident next to them);
 * the nearest writes of the value a failing read returned; the tail of the longest linearization;
 * the ops concurrent with the failing one, nearest first; then more of the linearization.
 */
final class WindowBuilder {

    /** Linearization ops shown before concurrent ones get the rest of the window: enough to see the last writes. */
    private static final int PREFIX_TAIL = 5;
    /** Writes of the failing read's value shown: the nearest ones tell the story. */
    private static final int WRITERS = 2;

    private record Diagnosis(String text, List<Op> evidence) { }

    private WindowBuilder() {
    }

    static LinearViolation build(KeyHistory h, WglSearch.Result result, int maxWindowOps) {
        Op x = h.ops[h.eventOp[result.frontier()]];
        List<Op> prefix = new ArrayList<>();
        Map<Op, Integer> positionOf = new IdentityHashMap<>();
        for (int op : result.prefix()) {
            prefix.add(h.ops[op]);
            positionOf.put(h.ops[op], prefix.size());
        }
        Set<Op> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(List.of(h.ops));
        Comparator<Op> nearest = Comparator.comparingLong(op -> Math.abs(op.invokeNanos() - x.invokeNanos()));
        Diagnosis diagnosis = diagnose(h, x);

        Set<Op> chosen = new LinkedHashSet<>();
        chosen.add(x);
        addUpTo(chosen, diagnosis == null ? List.of() : diagnosis.evidence(), maxWindowOps);
        if (x.isRead()) {
            List<Op> writers = new ArrayList<>(writersOf(h, x.value()));
            writers.sort(nearest);
            addUpTo(chosen, writers.subList(0, Math.min(WRITERS, writers.size())), maxWindowOps);
        }
        List<Op> latestFirst = new ArrayList<>(prefix);
        Collections.reverse(latestFirst);
        addUpTo(chosen, latestFirst.subList(0, Math.min(PREFIX_TAIL, latestFirst.size())), maxWindowOps);
        List<Op> concurrent = new ArrayList<>();
        for (Op op : h.ops) {
            if (op != x && overlaps(op, x)) {
                concurrent.add(op);
            }
        }
        concurrent.sort(nearest);
        addUpTo(chosen, concurrent, maxWindowOps);
        addUpTo(chosen, latestFirst, maxWindowOps);

        List<LinearViolation.WindowOp> window = new ArrayList<>();
        for (Op op : chosen) {
            int at = positionOf.getOrDefault(op, 0);
            LinearViolation.Role role = op == x ? LinearViolation.Role.FAILING
                    : at > 0 ? LinearViolation.Role.LINEARIZED
                    : kept.contains(op) ? LinearViolation.Role.PENDING : LinearViolation.Role.DROPPED;
            window.add(new LinearViolation.WindowOp(op, role, at, op != x && overlaps(op, x)));
        }
        window.sort(Comparator.comparingLong((LinearViolation.WindowOp w) -> w.op().invokeNanos())
                .thenComparingLong(w -> w.op().id()));

        List<String> values = new ArrayList<>();
        for (int s : result.frontierStates()) {
            values.add(h.value(s));
        }
        String description = "key " + h.key + ": no linearization can place " + x.describe() + ". "
                + (prefix.isEmpty() ? "Nothing before it can be linearized with it."
                        : "The longest linearization before it has " + prefix.size() + " op(s), ending with "
                        + prefix.get(prefix.size() - 1).describe() + ".")
                + " At that point the register can hold "
                + values.stream().map(Op::quote).collect(Collectors.joining(" or ")) + "."
                + (diagnosis == null ? "" : " " + diagnosis.text());
        return new LinearViolation(h.key, x, prefix.size(), values, window, description);
    }

    private static void addUpTo(Set<Op> chosen, List<Op> ops, int max) {
        for (Op op : ops) {
            if (chosen.size() >= max) {
                return;
            }
            chosen.add(op);
        }
    }

    private static List<Op> writersOf(KeyHistory h, String value) {
        List<Op> writers = new ArrayList<>();
        for (Op op : h.ops) {
            if (op.isWrite() && Objects.equals(op.value(), value)) {
                writers.add(op);
            }
        }
        return writers;
    }

    /** Unknown writes never return, so they overlap everything invoked after them. */
    private static boolean overlaps(Op a, Op b) {
        return a.invokeNanos() <= KeyHistory.returnTime(b) && b.invokeNanos() <= KeyHistory.returnTime(a);
    }

    /** Names the classic anomalies a failing read shows; null when none is evident. */
    private static Diagnosis diagnose(KeyHistory h, Op x) {
        if (!x.isRead()) {
            return null;
        }
        String v = x.value();
        List<Op> writers = writersOf(h, v);
        boolean initial = Objects.equals(h.value(h.initialState), v);
        if (writers.isEmpty() && !initial) {
            List<Op> failed = h.input.stream()
                    .filter(op -> op.isWrite() && op.outcome() == Op.Outcome.FAIL && Objects.equals(op.value(), v))
                    .toList();
            return failed.isEmpty()
                    ? new Diagnosis("Read of a value never written: " + Op.quote(v) + " was never written to "
                            + h.key + ".", List.of())
                    : new Diagnosis("Read of a failed write: " + Op.quote(v) + " was only written by " + ids(failed)
                            + ", which FAILED (definitely not applied).", failed);
        }
        if (!initial && writers.stream().allMatch(w -> w.invokeNanos() > x.completeNanos())) {
            return new Diagnosis("Read from the future: every write of " + Op.quote(v) + " (" + ids(writers)
                    + ") was invoked after this read completed.", writers);
        }
        Op latest = null;
        for (Op op : h.ops) {
            if (op.isWrite() && op.outcome() == Op.Outcome.OK && op.completeNanos() < x.invokeNanos()
                    && (latest == null || op.completeNanos() > latest.completeNanos())) {
                latest = op;
            }
        }
        // Stale only if every write of the value read is older than that acknowledged write: a write of
        // it overlapping the acknowledged one could have been ordered after it.
        Op acked = latest;
        if (acked != null && !Objects.equals(acked.value(), v)
                && writers.stream().allMatch(w -> KeyHistory.returnTime(w) < acked.invokeNanos())) {
            return new Diagnosis("Stale read or lost update: write #" + acked.id() + " of " + Op.quote(acked.value())
                    + " was acknowledged at " + acked.completeNanos() + ", before this read began at "
                    + x.invokeNanos() + ", yet the read returned " + Op.quote(v) + ".", List.of(acked));
        }
        return null;
    }

    private static String ids(List<Op> ops) {
        return ops.stream().map(op -> "#" + op.id()).collect(Collectors.joining(", "));
    }
}
