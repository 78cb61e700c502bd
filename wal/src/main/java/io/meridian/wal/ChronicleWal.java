package io.meridian.wal;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Wal} stored in a Chronicle Queue, one excerpt per entry.
 *
 * <p>Threading: appends are serialised internally (one appender thread is expected); {@link #read},
 * readers, {@link #consumerPassed} and {@link #release} may run on any thread. {@link #reset} and
 * {@link #close} wait for in-flight calls and exclude new ones while they swap or close the queue.
 *
 * <p>Retention ({@link CycleReleaser}) releases whole roll cycles and never the cycle holding the last
 * entry, so the last index is always recoverable from disk; consumer positions are not persisted (see
 * {@link #consumerPassed}). Streaming reads are {@link ChronicleWalReader}s, the queue files
 * {@link QueueSession}, the directory and its generations {@link WalDirectory}.
 */
public final class ChronicleWal implements Wal {

    private static final Logger LOG = LoggerFactory.getLogger(ChronicleWal.class);

    private final WalConfig config;
    private final WalDirectory directory;
    // Shared: every operation on the open queue. Exclusive: swapping (reset) or closing it.
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Object appendMutex = new Object();
    private final EntryCodec.Encoder encoder = new EntryCodec.Encoder(); // guarded by appendMutex
    private final CycleReleaser releaser;
    private final ConsumerPositions consumers = new ConsumerPositions();
    private final Set<ChronicleWalReader> readers = ConcurrentHashMap.newKeySet();

    private WalDirectory.Meta meta;
    private QueueSession session;
    private volatile boolean closed;
    private volatile long baseIndex;
    private volatile long firstIndex;
    private volatile long lastIndex;

    private ChronicleWal(WalConfig config, WalDirectory directory) {
        this.config = config;
        this.directory = directory;
        this.releaser = new CycleReleaser(this, config);
    }

    /**
     * Opens (creating if needed) the WAL in {@code config.directory()}, recovering its entries.
     *
     * @throws WalException if the directory is locked by another WAL instance or cannot be read
     * @throws WalCorruptionException if the held entries are not one dense run
     */
    public static ChronicleWal open(WalConfig config) {
        WalDirectory directory = WalDirectory.lock(config.directory());
        ChronicleWal wal = new ChronicleWal(config, directory);
        try {
            wal.openSession(directory.loadOrCreateMeta());
        } catch (RuntimeException e) {
            directory.close();
            throw e;
        }
        LOG.info("opened WAL {} holding {}..{} (base {})", config.directory(), wal.firstIndex, wal.lastIndex,
                wal.baseIndex);
        return wal;
    }

    @Override
    public long firstIndex() {
        return firstIndex;
    }

    @Override
    public long lastIndex() {
        return lastIndex;
    }

    @Override
    public long baseIndex() {
        return baseIndex;
    }

    /**
     * {@inheritDoc}
     *
     * <p>An index below {@link #firstIndex()} (released, or covered by a reset) is reported as
     * {@link AppendResult#DUPLICATE} without a content check: its content is no longer held, and it is
     * committed history that a replay after restart legitimately re-offers.
     */
    @Override
    public AppendResult append(WalEntry entry) {
        lockShared();
        try {
            ensureOpen();
            synchronized (appendMutex) {
                long index = entry.index();
                if (index <= lastIndex) {
                    return checkDuplicate(entry);
                }
                if (index != lastIndex + 1) {
                    throw new WalGapException("entry " + index + " does not follow last index " + lastIndex);
                }
                int length = encoder.encode(entry);
                session.write(index, encoder.buffer(), length);
                lastIndex = index;
                return AppendResult.APPENDED;
            }
        } finally {
            unlockShared();
        }
    }

    private AppendResult checkDuplicate(WalEntry entry) {
        if (entry.index() < firstIndex) {
            return AppendResult.DUPLICATE;
        }
        WalEntry held = readHeld(entry.index());
        if (!held.sameContentAs(entry)) {
            throw new WalConflictException("entry " + entry.index() + " already held with different content: held "
                    + held + ", offered " + entry);
        }
        return AppendResult.DUPLICATE;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Point reads share one tailer and are serialised; stream with a {@link WalReader} instead.
     *
     * @throws WalReleasedException if {@code index < firstIndex()}
     * @throws IllegalArgumentException if {@code index > lastIndex()}
     * @throws WalCorruptionException if the stored entry fails its checksum or is misplaced
     */
    @Override
    public WalEntry read(long index) {
        lockShared();
        try {
            ensureOpen();
            if (index > lastIndex) {
                throw new IllegalArgumentException("entry " + index + " is beyond last index " + lastIndex);
            }
            return readHeld(index);
        } finally {
            unlockShared();
        }
    }

    private WalEntry readHeld(long index) {
        checkNotReleased(index);
        WalEntry entry = session.lookup(index);
        if (entry == null || entry.index() != index) {
            checkNotReleased(index);
            throw new WalCorruptionException("entry " + index + " missing or misplaced (found "
                    + (entry == null ? "nothing" : "entry " + entry.index()) + ")");
        }
        return entry;
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code fromIndex} may lie beyond the end: the reader returns null until that entry is appended.
     */
    @Override
    public WalReader openReader(long fromIndex) {
        lockShared();
        try {
            ensureOpen();
            checkNotReleased(fromIndex);
            ChronicleWalReader reader = new ChronicleWalReader(this, fromIndex);
            readers.add(reader);
            return reader;
        } finally {
            unlockShared();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The latest report wins, even if lower than before (a rewinding consumer needs entries again).
     * Positions are held in memory only: after a restart, consumers must report before a release.
     */
    @Override
    public void consumerPassed(String name, long index) {
        consumers.passed(name, index);
    }

    @Override
    public void removeConsumer(String name) {
        consumers.remove(name);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The cycle holding the last entry is never released. A cycle counts as old enough once its
     * roll period ended at least {@link WalConfig#minRetentionAge()} ago by the configured clock.
     */
    @Override
    public long release(long index) {
        lockShared();
        try {
            ensureOpen();
            return releaser.release(index, consumers);
        } finally {
            unlockShared();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Bytes are counted per cycle from where its first excerpt starts to where its last one ends.
     */
    @Override
    public long releaseOverCap(long maxBytes, long maxAgeMillis) {
        lockShared();
        try {
            ensureOpen();
            return releaser.releaseOverCap(maxBytes, maxAgeMillis);
        } finally {
            unlockShared();
        }
    }

    @Override
    public long sizeBytes() {
        lockShared();
        try {
            QueueSession s = session;
            return closed || s == null ? 0 : s.cycles().totalBytes();
        } finally {
            unlockShared();
        }
    }

    /** Moves the first index (retention, see {@link CycleReleaser}); under the shared lock. */
    void publishFirstIndex(long index) {
        firstIndex = index;
    }

    /** Lets the queue notice deleted cycle files; serialised with appends. */
    void refreshDirectoryListing() {
        synchronized (appendMutex) {
            session.refreshDirectoryListing();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Atomic across crashes: after a restart the WAL holds either everything it held before or
     * nothing above {@code baseIndex}. Open readers stay usable; their position is kept, so one below
     * {@code baseIndex + 1} gets {@link WalReleasedException}. Consumer positions are kept.
     */
    @Override
    public void reset(long newBaseIndex) {
        if (newBaseIndex < 0) {
            throw new IllegalArgumentException("baseIndex must be >= 0: " + newBaseIndex);
        }
        lifecycle.writeLock().lock();
        try {
            ensureOpen();
            closeSession();
            WalDirectory.Meta current = meta;
            WalDirectory.Meta next = new WalDirectory.Meta(newBaseIndex, current.generation() + 1);
            try {
                directory.commit(next);
            } finally {
                // on a failed commit this reopens the untouched old generation
                openSession(directory.loadOrCreateMeta());
            }
            LOG.info("reset WAL {} to base index {}", config.directory(), newBaseIndex);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            // not skipped when already closed: a failed reset marks the WAL closed but still holds the lock
            closed = true;
            closeSession();
            directory.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void openSession(WalDirectory.Meta newMeta) {
        QueueSession opened;
        try {
            directory.deleteOtherGenerations(newMeta);
            opened = QueueSession.open(directory.queueDirectory(newMeta), config, newMeta.baseIndex());
        } catch (RuntimeException e) {
            // without a queue every later call would fail obscurely; fail them all plainly instead
            closed = true;
            throw e;
        }
        CycleIndex.Cycle first = opened.cycles().first();
        meta = newMeta;
        session = opened;
        baseIndex = newMeta.baseIndex();
        lastIndex = opened.recoveredLastIndex();
        firstIndex = first == null ? baseIndex + 1 : first.firstIndex();
    }

    private void closeSession() {
        for (ChronicleWalReader reader : new ArrayList<>(readers)) {
            reader.detach();
        }
        if (session != null) {
            session.close();
            session = null;
        }
    }

    private void checkNotReleased(long index) {
        long first = firstIndex;
        if (index < first) {
            throw new WalReleasedException("entry " + index + " is released; the WAL starts at " + first);
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new WalException("WAL " + config.directory() + " is closed");
        }
    }

    void lockShared() {
        lifecycle.readLock().lock();
    }

    void unlockShared() {
        lifecycle.readLock().unlock();
    }

    /** The open queue; only valid under the shared lock after {@link #ensureOpen()}. */
    QueueSession session() {
        return session;
    }

    void forget(ChronicleWalReader reader) {
        readers.remove(reader);
    }

    @Override
    public String toString() {
        return "ChronicleWal{" + config.directory() + ", " + firstIndex + ".." + lastIndex + ", base=" + baseIndex + "}";
    }
}
