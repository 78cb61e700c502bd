package io.meridian;

/**
 * Read-only view of this node's WAL (checkers, tools, tests). Every read verifies the entry's checksum.
 * The WAL keeps changing underneath: indexes read here may have been released a moment later.
 */
public interface WalView {

    /** Index of the first entry held; {@code lastIndex() + 1} when empty. */
    long firstIndex();

    /** Index of the last entry held. */
    long lastIndex();

    /** The entry at {@code index}; {@link IllegalArgumentException} when it is not held. */
    WalRecord read(long index);

    /**
     * A reader whose first entry is {@code fromIndex}; {@link IllegalArgumentException} when that index
     * was already released. Close it when done.
     */
    Reader openReader(long fromIndex);

    /** Sequential reads; one thread at a time. */
    interface Reader extends AutoCloseable {

        /** The next entry, or {@code null} at the end of what the WAL holds right now. */
        WalRecord next();

        @Override
        void close();
    }
}
