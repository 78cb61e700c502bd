package io.meridian.raft;

import io.meridian.wal.WalEntry;

import java.util.List;

/**
 * Callbacks from a region node to the wiring above it. They run on JRaft's threads: keep them short
 * and never block (hand work to an agent).
 */
public interface RegionListener {

    /** This node became the region's Raft leader. */
    default void onLeaderStart(long term) {
    }

    /** This node stopped being the region's Raft leader. */
    default void onLeaderStop() {
    }

    /** The replicated cluster state changed (epoch change, fence, image installed). */
    default void onClusterStateChanged(ClusterState state) {
    }

    /** Entries just applied in this region (after WAL append and user apply). */
    default void onApplied(List<WalEntry> entries, ClusterState state) {
    }
}
