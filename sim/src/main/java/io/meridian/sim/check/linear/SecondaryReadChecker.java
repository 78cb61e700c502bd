package io.meridian.sim.check.linear;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks the guarantees stale reads on secondaries do have, against the log order of the writes:
 * monotonic reads per (client, scope, key) ({@link MonotonicReads}) and prefix visibility per
 * bracketed read ({@link PrefixVisibility}). A value the log does not know is itself an anomaly:
 * a replica can only show what some applied write wrote.
 *
 * <p>Input contract: the workload writes values in {@link ValueFormat} ({@code "w<writeId>:..."},
 * ids unique in the run), and {@link WriteOrder} maps each applied write id to its key and log
 * index. Only OK reads are checked. Pure: no threads, clocks or I/O.
 */
public final class SecondaryReadChecker {

    private SecondaryReadChecker() {
    }

    public static SecondaryResult check(Collection<SecondaryRead> reads, WriteOrder order) {
        List<SecondaryAnomaly> anomalies = new ArrayList<>();
        List<MonotonicReads.Placed> placed = new ArrayList<>();
        List<SecondaryRead> checked = new ArrayList<>();
        for (SecondaryRead r : reads) {
            Op op = r.op();
            if (op.outcome() != Op.Outcome.OK) {
                continue;
            }
            checked.add(r);
            long index = order.indexOf(op.key(), op.value());
            if (index == WriteOrder.UNKNOWN) {
                anomalies.add(new SecondaryAnomaly(SecondaryAnomaly.Kind.UNKNOWN_VALUE, op.key(), op.region(),
                        List.of(op), "read #" + op.id() + " of " + op.key() + " on " + op.region() + " returned "
                        + Op.quote(op.value()) + ", which no write of " + op.key() + " in the log carries"));
            } else {
                placed.add(new MonotonicReads.Placed(op, index));
            }
        }
        anomalies.addAll(MonotonicReads.check(placed));
        anomalies.addAll(PrefixVisibility.check(checked, order));
        return new SecondaryResult(reads.size(), checked.size(), anomalies);
    }
}
