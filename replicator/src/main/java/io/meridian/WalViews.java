package io.meridian;

import io.meridian.wal.Wal;
import io.meridian.wal.WalEntry;
import io.meridian.wal.WalReader;
import io.meridian.wal.WalReleasedException;

/** The read-only {@link WalView} of a node's {@link Wal}. */
final class WalViews {

    private WalViews() {
    }

    static WalView of(Wal wal) {
        return new WalView() {
            @Override
            public long firstIndex() {
                return wal.firstIndex();
            }

            @Override
            public long lastIndex() {
                return wal.lastIndex();
            }

            @Override
            public WalRecord read(long index) {
                if (index < wal.firstIndex() || index > wal.lastIndex()) {
                    throw new IllegalArgumentException("index " + index + " is not held (WAL holds "
                            + wal.firstIndex() + ".." + wal.lastIndex() + ")");
                }
                return record(wal.read(index));
            }

            @Override
            public Reader openReader(long fromIndex) {
                WalReader reader;
                try {
                    reader = wal.openReader(fromIndex);
                } catch (WalReleasedException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
                return new Reader() {
                    @Override
                    public WalRecord next() {
                        WalEntry e = reader.next();
                        return e == null ? null : record(e);
                    }

                    @Override
                    public void close() {
                        reader.close();
                    }
                };
            }
        };
    }

    static WalRecord record(WalEntry e) {
        return new WalRecord(e.index(), e.epoch(), e.originRegion(), e.timestampMillis(),
                e.type() == WalEntry.TYPE_CONTROL, io.meridian.wal.SessionTag.userPayload(e));
    }
}
