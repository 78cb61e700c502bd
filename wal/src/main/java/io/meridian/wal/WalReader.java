package io.meridian.wal;

/** A forward cursor over a {@link Wal}. Not thread-safe; one per consuming thread. */
public interface WalReader extends AutoCloseable {

    /** The next entry, or {@code null} when the reader has caught up with the WAL's end. */
    WalEntry next();

    /** Index that the next successful {@link #next()} will return. */
    long nextIndex();

    /** Repositions so that the next entry returned is {@code index}. */
    void seek(long index);

    @Override
    void close();
}
