package io.meridian.xregion;

import io.meridian.wal.Wal;
import io.meridian.wal.WalCorruptionException;
import io.meridian.wal.WalEntry;
import io.meridian.wal.WalReader;

import java.util.ArrayList;
import java.util.List;

/** An in-memory WAL for agent logic tests; {@link #corruptAt} makes readers fail at one index. */
final class MemoryWal implements Wal {

    private final List<WalEntry> entries = new ArrayList<>();
    volatile long corruptAt = -1;

    MemoryWal withEntries(int count, int payloadBytes) {
        for (int i = 1; i <= count; i++) {
            append(new WalEntry(i, i, 1, 1, "a", 1_700_000_000_000L + i, WalEntry.TYPE_DATA, new byte[payloadBytes]));
        }
        return this;
    }

    @Override
    public long firstIndex() {
        return 1;
    }

    @Override
    public synchronized long lastIndex() {
        return entries.size();
    }

    @Override
    public long baseIndex() {
        return 0;
    }

    @Override
    public synchronized AppendResult append(WalEntry entry) {
        entries.add(entry);
        return AppendResult.APPENDED;
    }

    @Override
    public synchronized WalEntry read(long index) {
        return index >= 1 && index <= entries.size() ? entries.get((int) index - 1) : null;
    }

    @Override
    public WalReader openReader(long fromIndex) {
        return new WalReader() {
            private long next = fromIndex;

            @Override
            public WalEntry next() {
                if (next == corruptAt) {
                    throw new WalCorruptionException("checksum mismatch at entry " + next);
                }
                WalEntry e = read(next);
                if (e != null) {
                    next++;
                }
                return e;
            }

            @Override
            public long nextIndex() {
                return next;
            }

            @Override
            public void seek(long index) {
                next = index;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void consumerPassed(String name, long index) {
    }

    @Override
    public void removeConsumer(String name) {
    }

    @Override
    public long release(long index) {
        return 0;
    }

    @Override
    public long releaseOverCap(long maxBytes, long maxAgeMillis) {
        return 0;
    }

    @Override
    public long sizeBytes() {
        return 0;
    }

    @Override
    public void reset(long baseIndex) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
