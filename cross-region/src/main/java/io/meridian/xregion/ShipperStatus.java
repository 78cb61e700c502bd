package io.meridian.xregion;

/** What a shipper reports about one remote region (for health, metrics and the simulator). */
public record ShipperStatus(String remoteRegion, String state, long shippedIndex, long ackedIndex, long lagEntries,
                            LagTracker.Snapshot lag, long reconnects, long inFlightBatches, long inFlightBytes) {
}
