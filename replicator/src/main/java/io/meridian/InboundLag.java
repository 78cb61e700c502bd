package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.raft.RegionNode;
import io.meridian.wal.WalEntry;
import io.meridian.xregion.LagTracker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node knows about how far its region is behind the primary: lag percentiles of applied
 * entries per origin region, the current lag, and (on the leader) the highest index received from the
 * primary and when the primary was last heard from, which a promotion without data loss needs.
 */
final class InboundLag {

    private static final long PRIMARY_SILENT_NANOS = 1_000_000_000L;

    private final RegionNode node;
    private final String region;
    private final Map<String, LagTracker> perOrigin = new ConcurrentHashMap<>();
    private volatile long lastPrimaryContactNanos;
    private volatile long highestIndexFromPrimary;
    private volatile long lastAppliedOriginMillis;

    InboundLag(RegionNode node, String region) {
        this.node = node;
        this.region = region;
    }

    /** JRaft thread: entries applied here. */
    void onApplied(List<WalEntry> entries) {
        long now = System.currentTimeMillis();
        for (WalEntry e : entries) {
            if (!e.originRegion().equals(region)) {
                lastAppliedOriginMillis = e.timestampMillis();
                perOrigin.computeIfAbsent(e.originRegion(), LagTracker::new).recordLagMillis(Math.max(0, now - e.timestampMillis()));
            }
        }
    }

    /** Agent thread: a batch from {@code senderRegion} ending at {@code lastIndex} arrived. */
    void onBatchReceived(String senderRegion, long lastIndex) {
        if (senderRegion.equals(node.clusterState().primaryRegion())) {
            lastPrimaryContactNanos = System.nanoTime();
            highestIndexFromPrimary = Math.max(highestIndexFromPrimary, lastIndex);
        }
    }

    /** Agent thread: the primary pinged us. */
    void onPrimaryContact() {
        lastPrimaryContactNanos = System.nanoTime();
    }

    /** Entries this region is behind the primary, or -1 when it cannot tell (primary silent for 1 s). */
    long lagEntriesForPromotion(long nowNanos) {
        ClusterState s = node.clusterState();
        return nowNanos - lastPrimaryContactNanos > PRIMARY_SILENT_NANOS ? -1
                : Math.max(0, highestIndexFromPrimary - s.appliedIndex());
    }

    /**
     * The replication lag of this region right now, in ms: 0 when it has applied everything it knows
     * of (the leader: every entry received from the primary; a follower: every entry its region
     * committed), else the age of the last entry applied (commit at origin to now), an upper bound of
     * how far behind it is. The percentiles describe the past; this is what `/status` shows.
     */
    long currentLagMillis() {
        ClusterState s = node.clusterState();
        if (s.isPrimary(region) || lastAppliedOriginMillis == 0) {
            return 0;
        }
        boolean pending = node.isLeader() ? highestIndexFromPrimary > s.appliedIndex()
                : node.commitRaftIndex() > node.appliedRaftIndex();
        return pending ? Math.max(0, System.currentTimeMillis() - lastAppliedOriginMillis) : 0;
    }

    /** What a bounded-staleness read decides on ({@link StalenessBound}); any thread. */
    StalenessBound.Observation observe(long nowNanos, boolean leaseVouched) {
        ClusterState s = node.clusterState();
        boolean behind = node.isLeader() ? highestIndexFromPrimary > s.appliedIndex()
                : node.commitRaftIndex() > node.appliedRaftIndex();
        long contact = lastPrimaryContactNanos;
        long since = contact == 0 ? Long.MAX_VALUE : Math.max(0, (nowNanos - contact) / 1_000_000);
        long applied = lastAppliedOriginMillis;
        long age = applied == 0 ? Long.MAX_VALUE : Math.max(0, System.currentTimeMillis() - applied);
        return new StalenessBound.Observation(s.isPrimary(region), leaseVouched, behind, age, since);
    }

    Map<String, LagTracker> perOrigin() {
        return perOrigin;
    }
}
