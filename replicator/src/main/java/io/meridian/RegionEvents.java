package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.raft.RegionListener;
import io.meridian.wal.WalEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Fans region callbacks out to every part of the node that cares; one failing listener cannot stop the others. */
final class RegionEvents implements RegionListener {

    private static final Logger LOG = LoggerFactory.getLogger(RegionEvents.class);
    private final List<RegionListener> listeners = new CopyOnWriteArrayList<>();

    void add(RegionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void onLeaderStart(long term) {
        for (RegionListener l : listeners) {
            guard(() -> l.onLeaderStart(term));
        }
    }

    @Override
    public void onLeaderStop() {
        for (RegionListener l : listeners) {
            guard(l::onLeaderStop);
        }
    }

    @Override
    public void onClusterStateChanged(ClusterState state) {
        for (RegionListener l : listeners) {
            guard(() -> l.onClusterStateChanged(state));
        }
    }

    @Override
    public void onApplied(List<WalEntry> entries, ClusterState state) {
        for (RegionListener l : listeners) {
            guard(() -> l.onApplied(entries, state));
        }
    }

    private static void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("region listener failed", e);
        }
    }
}
