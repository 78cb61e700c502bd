package io.meridian;

/**
 * Observes this node's region (e.g. for metrics); register with
 * {@link Replicator#addRegionListener(RegionEventListener)}. Callbacks run on Meridian's internal
 * threads: keep them short and never block. A callback that throws is logged and does not stop others.
 */
public interface RegionEventListener {

    /** This node became its region's Raft leader in {@code term}. */
    default void onLeaderStart(long term) {
    }

    /** This node stopped being its region's Raft leader. */
    default void onLeaderStop() {
    }

    /** The region's replicated epoch, primary or fence changed (now in {@code epoch}, {@code primaryRegion} primary). */
    default void onEpochStateChanged(long epoch, String primaryRegion) {
    }

    /** {@code entries} cluster-log entries were just applied on this node, the last at {@code last}. */
    default void onApplied(int entries, Position last) {
    }
}
