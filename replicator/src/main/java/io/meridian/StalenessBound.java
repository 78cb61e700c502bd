package io.meridian;

/**
 * How far behind the primary a node's data may be, for bounded-staleness reads. Pure: the caller
 * passes what the node observed, with times already turned into ages.
 *
 * <p>A node of the primary region serves only while the region's lease is vouched for here (on the
 * leader: held now; on a follower: confirmed by its leader within the last lease), so its data is the
 * primary's up to Raft's own commit delay: 0. A secondary node counts as far behind as the older of
 * (a) the age of the last entry it applied, when it knows of entries it has not applied yet, and
 * (b) the time since it last heard from the primary (a batch or a lease ping, every lease/3): while
 * the primary is silent, it may be committing writes this node has not heard of. That makes the
 * bound conservative: with the default 1.5 s lease, a quiet secondary reports up to ~0.5 s.
 */
final class StalenessBound {

    /** What a node knows; ages in ms, {@code Long.MAX_VALUE} for "never". */
    record Observation(boolean primaryRegion, boolean leaseVouched, boolean behindKnownEntries,
                       long lastAppliedAgeMillis, long sincePrimaryContactMillis) { }

    private StalenessBound() {
    }

    /** The lag bound in ms, {@code Long.MAX_VALUE} when the node cannot tell. */
    static long lagMillis(Observation o) {
        if (o.primaryRegion()) {
            return o.leaseVouched() ? 0 : Long.MAX_VALUE;
        }
        long lag = o.sincePrimaryContactMillis();
        if (o.behindKnownEntries()) {
            lag = Math.max(lag, o.lastAppliedAgeMillis());
        }
        return lag;
    }

    /** Throws {@link LagExceededException} unless the lag bound is within {@code maxLagMillis}. */
    static void check(Observation o, long maxLagMillis, String region) {
        long lag = lagMillis(o);
        if (lag > maxLagMillis) {
            throw new LagExceededException("region " + region + " may be "
                    + (lag == Long.MAX_VALUE ? "any amount" : lag + " ms") + " behind the primary, more than the "
                    + maxLagMillis + " ms this read allows", lag, maxLagMillis);
        }
    }
}
