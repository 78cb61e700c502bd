package io.meridian.wal;

import java.io.IOException;
import java.nio.file.Files;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of a {@link ChronicleWal}: releases whole roll cycles from its head, either by the
 * normal rule ({@link #release}: below what every consumer passed, and old enough) or past a hard
 * cap ({@link #releaseOverCap}: bytes or age, whatever consumers need). The cycle holding the last
 * entry is never released, so the last index stays recoverable from disk.
 *
 * <p>Callers hold the WAL's shared lock on an open WAL; releases are serialised here. The WAL's new
 * first index is published before a cycle file is deleted, so a reader that then misses the file
 * sees why ({@link WalReleasedException}).
 */
final class CycleReleaser {

    private static final Logger LOG = LoggerFactory.getLogger(CycleReleaser.class);

    private final ChronicleWal wal;
    private final WalConfig config;
    private final Object mutex = new Object();

    CycleReleaser(ChronicleWal wal, WalConfig config) {
        this.wal = wal;
        this.config = config;
    }

    /** See {@link ChronicleWal#release}: up to {@code index}, never past a consumer. */
    long release(long index, ConsumerPositions consumers) {
        synchronized (mutex) {
            long upTo = Math.min(index, consumers.releasableUpTo());
            CycleIndex cycles = wal.session().cycles();
            long oldEnough = config.timeProvider().currentTimeMillis() - config.minRetentionAge().toMillis();
            long released = 0;
            for (CycleIndex.Cycle head = cycles.first(); head != null; head = cycles.first()) {
                CycleIndex.Cycle next = cycles.after(head);
                if (next == null || next.firstIndex() - 1 > upTo || wal.session().cycleEndMillis(head.cycle()) > oldEnough) {
                    break;
                }
                if (!releaseHead(cycles, head, next)) {
                    break;
                }
                released += next.firstIndex() - head.firstIndex();
            }
            afterRelease(released);
            return released;
        }
    }

    /** See {@link ChronicleWal#releaseOverCap}. */
    long releaseOverCap(long maxBytes, long maxAgeMillis) {
        synchronized (mutex) {
            QueueSession session = wal.session();
            CycleIndex cycles = session.cycles();
            long tooOld = maxAgeMillis <= 0 ? Long.MIN_VALUE
                    : config.timeProvider().currentTimeMillis() - maxAgeMillis;
            long held = cycles.totalBytes();
            long released = 0;
            for (CycleIndex.Cycle head = cycles.first(); head != null; head = cycles.first()) {
                CycleIndex.Cycle next = cycles.after(head);
                boolean overCap = held > maxBytes || session.cycleEndMillis(head.cycle()) <= tooOld;
                if (next == null || !overCap) {
                    break;
                }
                long bytes = head.bytes();
                if (!releaseHead(cycles, head, next)) {
                    break;
                }
                held -= bytes;
                released += next.firstIndex() - head.firstIndex();
            }
            if (released > 0) {
                LOG.warn("WAL {} over its cap ({} bytes, {} ms): released {} entries that consumers may still need; "
                        + "now starting at {}", config.directory(), maxBytes, maxAgeMillis, released, wal.firstIndex());
            }
            afterRelease(released);
            return released;
        }
    }

    private boolean releaseHead(CycleIndex cycles, CycleIndex.Cycle head, CycleIndex.Cycle next) {
        // Publish the new start before deleting, so a reader that then misses the file sees why.
        wal.publishFirstIndex(next.firstIndex());
        if (!delete(head)) {
            wal.publishFirstIndex(head.firstIndex());
            return false;
        }
        cycles.remove(head);
        return true;
    }

    private void afterRelease(long released) {
        if (released > 0) {
            wal.refreshDirectoryListing();
            LOG.debug("released {} entries of WAL {}, now starting at {}", released, config.directory(), wal.firstIndex());
        }
    }

    private boolean delete(CycleIndex.Cycle cycle) {
        try {
            Files.deleteIfExists(cycle.file().toPath());
            return true;
        } catch (IOException e) {
            LOG.warn("cannot delete released WAL cycle file {}; retrying on a later release", cycle.file(), e);
            return false;
        }
    }
}
