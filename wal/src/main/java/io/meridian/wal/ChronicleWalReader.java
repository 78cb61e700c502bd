package io.meridian.wal;

import net.openhft.chronicle.queue.ExcerptTailer;

/**
 * A {@link WalReader} over a {@link ChronicleWal}, backed by its own Chronicle tailer.
 *
 * <p>The tailer is positioned lazily, on the first {@link #next()} that finds its entry written, so a
 * reader may be opened at or beyond the end of the WAL and simply waits there. A reset or close of the
 * WAL detaches the tailer; the reader then re-attaches to the new queue on its next call.
 */
final class ChronicleWalReader implements WalReader {

    private final ChronicleWal wal;
    // Fields below are touched by the owning thread under the WAL's shared lock, and by reset/close
    // under its exclusive lock, so the lock alone orders every access.
    private ExcerptTailer tailer;
    private boolean positioned;
    private long nextIndex;
    private boolean closed;

    ChronicleWalReader(ChronicleWal wal, long nextIndex) {
        this.wal = wal;
        this.nextIndex = nextIndex;
    }

    @Override
    public WalEntry next() {
        wal.lockShared();
        try {
            ensureUsable();
            checkNotReleased();
            if (nextIndex > wal.lastIndex()) {
                return null;
            }
            QueueSession session = wal.session();
            if (tailer == null) {
                tailer = session.createTailer();
                positioned = false;
            }
            if (!positioned) {
                if (!session.moveTo(tailer, nextIndex)) {
                    throw missing("cannot position at");
                }
                positioned = true;
            }
            WalEntry entry = QueueSession.readNext(tailer);
            if (entry == null || entry.index() != nextIndex) {
                // a release may have deleted the cycle this tailer was about to enter
                positioned = false;
                throw missing(entry == null ? "no excerpt for" : "found entry " + entry.index() + " instead of");
            }
            nextIndex++;
            return entry;
        } finally {
            wal.unlockShared();
        }
    }

    @Override
    public long nextIndex() {
        return nextIndex;
    }

    @Override
    public void seek(long index) {
        wal.lockShared();
        try {
            ensureUsable();
            nextIndex = index;
            positioned = false;
            checkNotReleased();
        } finally {
            wal.unlockShared();
        }
    }

    @Override
    public void close() {
        wal.lockShared();
        try {
            if (!closed) {
                closed = true;
                detach();
                wal.forget(this);
            }
        } finally {
            wal.unlockShared();
        }
    }

    /** Drops the tailer of a queue that is about to close; called under the WAL's exclusive lock. */
    void detach() {
        if (tailer != null) {
            tailer.close();
            tailer = null;
        }
        positioned = false;
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        wal.ensureOpen();
    }

    private void checkNotReleased() {
        long first = wal.firstIndex();
        if (nextIndex < first) {
            throw new WalReleasedException("entry " + nextIndex + " is released; the WAL starts at " + first);
        }
    }

    private WalException missing(String what) {
        checkNotReleased();
        return new WalCorruptionException(what + " entry " + nextIndex + " although the WAL holds "
                + wal.firstIndex() + ".." + wal.lastIndex());
    }
}
