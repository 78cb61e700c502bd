package io.meridian.xregion;

/**
 * What a shipper reports about one remote region (for health, metrics and the simulator).
 *
 * @param state     a {@link ShipperState} name, IDLE when not shipping, or HALTED when an entry
 *                  cannot be shipped (see {@code lastError})
 * @param errors    failures of this shipper since start (each retried with backoff, or halting it)
 * @param lastError the latest failure, "" if none
 */
public record ShipperStatus(String remoteRegion, String state, long shippedIndex, long ackedIndex, long lagEntries,
                            LagTracker.Snapshot lag, long reconnects, long inFlightBatches, long inFlightBytes,
                            long errors, String lastError) {
}
