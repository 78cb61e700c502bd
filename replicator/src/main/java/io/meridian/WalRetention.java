package io.meridian;

import io.meridian.raft.RegionNode;
import io.meridian.wal.Wal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Releases this node's WAL on a timer, on its own thread (deleting files does not belong on the Raft
 * apply thread or the cross-region agent's duty cycle).
 *
 * <p>The rule, the same on every node: release roll cycles that the local snapshot covers (a restart
 * replays from the snapshot, never from older WAL entries) and that lie more than
 * {@link WalRetentionSettings#marginEntries()} below the last entry. On the primary region's leader
 * the shippers are registered WAL consumers at their remote's acknowledged index, so nothing a remote
 * has not acknowledged is released. Then the hard cap: past {@link WalRetentionSettings#maxBytes()} (or
 * the age cap) the oldest cycles go whatever anyone still needs; a remote that needed them is asked
 * to re-seed from a state image when its shipper next positions its reader.
 */
final class WalRetention implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WalRetention.class);

    private final Wal wal;
    private final RegionNode node;
    private final WalRetentionSettings settings;
    private final String nodeId;
    private final AtomicLong releasedEntries = new AtomicLong();
    private final AtomicLong releasedOverCap = new AtomicLong();
    private ScheduledExecutorService timer;

    WalRetention(Wal wal, RegionNode node, WalRetentionSettings settings, String nodeId) {
        this.wal = wal;
        this.node = node;
        this.settings = settings;
        this.nodeId = nodeId;
    }

    synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meridian-wal-retention-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        long period = settings.checkInterval().toMillis();
        timer.scheduleWithFixedDelay(this::runSafely, period, period, TimeUnit.MILLISECONDS);
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // a closed WAL during shutdown, or a file that cannot be deleted yet: the next run retries
            LOG.warn("{}: WAL retention failed: {}", nodeId, e.toString());
        }
    }

    /** One pass; returns entries released. */
    long runOnce() {
        long upTo = Math.min(node.snapshotIndex(), wal.lastIndex() - settings.marginEntries());
        long released = upTo >= wal.firstIndex() ? wal.release(upTo) : 0;
        long overCap = wal.releaseOverCap(settings.maxBytes(), settings.maxAge().toMillis());
        releasedEntries.addAndGet(released + overCap);
        releasedOverCap.addAndGet(overCap);
        return released + overCap;
    }

    /** Entries released since start, all causes. */
    long releasedEntries() {
        return releasedEntries.get();
    }

    /** Entries released by the hard cap, possibly still needed by a lagging remote. */
    long releasedOverCap() {
        return releasedOverCap.get();
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
