package io.meridian.sim.check.linear;

import java.util.ArrayList;
import java.util.List;

/**
 * A replica never exposes entry N without every entry before it: the state a read sees is always
 * the result of applying a prefix 1..A of the cluster log. Each bracketed {@link SecondaryRead}
 * pins that A between {@code appliedIndexBefore} and {@code appliedIndexAfter}, so its value must be
 * the key's latest write at or below some A in that range:
 * <ul>
 *   <li>PREFIX_GAP: a write of the key at index j with value-index &lt; j &lt;= before exists: the
 *       replica had exposed entries up to {@code before} but not entry j;</li>
 *   <li>FUTURE_VALUE: the value's index is above {@code after}: the replica exposed an entry beyond
 *       its applied prefix.</li>
 * </ul>
 * Reads without brackets are not checked here.
 */
final class PrefixVisibility {

    private PrefixVisibility() {
    }

    static List<SecondaryAnomaly> check(List<SecondaryRead> reads, WriteOrder order) {
        List<SecondaryAnomaly> anomalies = new ArrayList<>();
        for (SecondaryRead r : reads) {
            Op op = r.op();
            long seen = order.indexOf(op.key(), op.value());
            if (op.outcome() != Op.Outcome.OK || seen == WriteOrder.UNKNOWN) {
                continue;
            }
            if (r.appliedIndexBefore() != SecondaryRead.NOT_OBSERVED) {
                long hidden = order.firstWriteBetween(op.key(), seen, r.appliedIndexBefore());
                if (hidden >= 0) {
                    anomalies.add(new SecondaryAnomaly(SecondaryAnomaly.Kind.PREFIX_GAP, op.key(), op.region(),
                            List.of(op), op.region() + " had applied up to index " + r.appliedIndexBefore()
                            + " but read #" + op.id() + " of " + op.key() + " returned " + Op.quote(op.value())
                            + " (log index " + seen + "), missing the write at index " + hidden));
                }
            }
            if (r.appliedIndexAfter() != SecondaryRead.NOT_OBSERVED && seen > r.appliedIndexAfter()) {
                anomalies.add(new SecondaryAnomaly(SecondaryAnomaly.Kind.FUTURE_VALUE, op.key(), op.region(),
                        List.of(op), op.region() + " had applied only up to index " + r.appliedIndexAfter()
                        + " but read #" + op.id() + " of " + op.key() + " returned " + Op.quote(op.value())
                        + ", written at log index " + seen));
            }
        }
        return anomalies;
    }
}
