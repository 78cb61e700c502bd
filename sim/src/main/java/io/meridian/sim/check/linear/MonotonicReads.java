package io.meridian.sim.check.linear;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Monotonic reads on secondaries: once a client has seen, in one scope (the read's {@code region}),
 * the value a key had at log index i, a later read of that key by the same client in the same scope
 * must not return a value from an index below i.
 *
 * <p>"Later" is real time: a read invoked after the earlier one completed. Overlapping reads of one
 * client (an asynchronous client) are not ordered, so they are not compared.
 */
final class MonotonicReads {

    private MonotonicReads() {
    }

    /** A read whose value resolved to a log index. */
    record Placed(Op op, long index) { }

    private record Scope(String client, String region, String key) { }

    static List<SecondaryAnomaly> check(List<Placed> reads) {
        Map<Scope, List<Placed>> byScope = new HashMap<>();
        for (Placed p : reads) {
            byScope.computeIfAbsent(new Scope(p.op().client(), p.op().region(), p.op().key()), s -> new ArrayList<>())
                    .add(p);
        }
        List<SecondaryAnomaly> anomalies = new ArrayList<>();
        byScope.values().forEach(group -> checkScope(group, anomalies));
        anomalies.sort(Comparator.comparingLong(a -> a.ops().get(a.ops().size() - 1).invokeNanos()));
        return anomalies;
    }

    /** Sweep: reads by invocation, folding in each read that completed before it into a running maximum. */
    private static void checkScope(List<Placed> group, List<SecondaryAnomaly> out) {
        List<Placed> byInvoke = new ArrayList<>(group);
        byInvoke.sort(Comparator.comparingLong((Placed p) -> p.op().invokeNanos())
                .thenComparingLong(p -> p.op().id()));
        List<Placed> byComplete = new ArrayList<>(group);
        byComplete.sort(Comparator.comparingLong((Placed p) -> p.op().completeNanos())
                .thenComparingLong(p -> p.op().id()));
        Placed newest = null;
        int done = 0;
        for (Placed read : byInvoke) {
            while (done < byComplete.size() && byComplete.get(done).op().completeNanos() < read.op().invokeNanos()) {
                Placed p = byComplete.get(done++);
                if (newest == null || p.index() > newest.index()) {
                    newest = p;
                }
            }
            if (newest != null && read.index() < newest.index()) {
                Op a = newest.op();
                Op b = read.op();
                out.add(new SecondaryAnomaly(SecondaryAnomaly.Kind.NON_MONOTONIC_READ, b.key(), b.region(),
                        List.of(a, b),
                        "client " + b.client() + " read " + b.key() + " on " + b.region() + ": " + Op.quote(a.value())
                                + " (log index " + newest.index() + ", op #" + a.id() + ") then the older "
                                + Op.quote(b.value()) + " (log index " + read.index() + ", op #" + b.id() + ")"));
            }
        }
    }
}
