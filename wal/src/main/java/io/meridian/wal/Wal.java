package io.meridian.wal;

/**
 * The write-ahead log of committed cluster-log entries on one node.
 *
 * <p>Threading: one appender thread (the Raft state machine); readers may run on other threads,
 * each with its own {@link WalReader}.
 */
public interface Wal extends AutoCloseable {

    /** Result of an append. */
    enum AppendResult { APPENDED, DUPLICATE }

    /** Index of the first entry held; {@code baseIndex() + 1} when empty. */
    long firstIndex();

    /** Index of the last entry held; {@link #baseIndex()} when empty. */
    long lastIndex();

    /** The index just before the first entry this WAL can ever hold (0 unless {@link #reset} moved it). */
    long baseIndex();

    /**
     * Appends the next entry. Re-appending an index already held with the same content is a no-op
     * ({@link AppendResult#DUPLICATE}); the same index with different content raises
     * {@link WalConflictException}; an index past {@code lastIndex() + 1} raises {@link WalGapException}.
     */
    AppendResult append(WalEntry entry);

    /** Reads the entry at {@code index}, verifying its checksum. */
    WalEntry read(long index);

    /**
     * A reader positioned so that its next entry is {@code fromIndex}.
     *
     * @throws WalReleasedException if {@code fromIndex < firstIndex()}
     */
    WalReader openReader(long fromIndex);

    /** A reader positioned after the last entry currently held ("after the last index I have"). */
    default WalReader openReaderAfterLast() {
        return openReader(lastIndex() + 1);
    }

    /**
     * Records that consumer {@code name} no longer needs entries up to and including {@code index}.
     * Retention never releases an entry a registered consumer still needs.
     */
    void consumerPassed(String name, long index);

    /** Stops tracking a consumer (it no longer holds retention back). */
    void removeConsumer(String name);

    /**
     * Releases whole roll cycles whose entries are all at or below {@code index}, and below every
     * consumer's position, and older than the configured minimum age.
     *
     * @return number of entries released
     */
    long release(long index);

    /**
     * Hard bound on what the WAL holds: releases whole roll cycles, oldest first, while it holds more
     * than {@code maxBytes} or while its oldest cycle ended more than {@code maxAgeMillis} ago (0 = no
     * age bound), <em>ignoring</em> consumers and the minimum retention age. A consumer that still
     * needed a released entry finds it released ({@link WalReleasedException}) and must recover
     * another way (a state image). Never releases the cycle holding the last entry.
     *
     * @return number of entries released
     */
    long releaseOverCap(long maxBytes, long maxAgeMillis);

    /** Bytes of entries held (approximate: includes Chronicle's headers and index slots between them). */
    long sizeBytes();

    /**
     * Drops every entry and restarts the WAL so that the next append must be {@code baseIndex + 1}.
     * Used when a node installs a state image that already contains everything up to {@code baseIndex}.
     */
    void reset(long baseIndex);

    @Override
    void close();
}
