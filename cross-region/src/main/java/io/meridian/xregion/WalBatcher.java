package io.meridian.xregion;

import io.meridian.transport.Message;
import io.meridian.wal.WalCorruptionException;
import io.meridian.wal.WalEntry;
import io.meridian.wal.WalReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The read side of a {@link Shipper}: tails this node's WAL with its own reader from wherever the
 * {@link ShipperWindow} says, gathers entries in a {@link BatchAccumulator} and cuts them into one
 * encoded batch at a time ({@link #pending()}), which the shipper sends when the window has room.
 * Not thread-safe: the agent thread owns it.
 */
final class WalBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(WalBatcher.class);

    /** A batch cut and encoded, waiting for the window: entries {@code first..last}. */
    record Pending(Message.Batch batch, long first, long last, long lastTimestampMillis, long readMicros) {
    }

    /** An entry that can never ship (corrupt in the WAL, or larger than a frame); {@code reason} is a {@link FaultLog} reason. */
    static final class UnshippableEntryException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        UnshippableEntryException(String reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private final String remoteRegion;
    private final LocalRegion local;
    private final ShippingConfig config;
    private final BatchCodec codec;
    private final BatchAccumulator accumulator;
    private WalReader reader;
    private WalEntry carried;   // read but did not fit the last batch: starts the next one
    private Pending pending;
    private long openedMicros;  // wall-clock µs when the batch being accumulated got its first entry
    private long lastCutNanos;
    private boolean cutOnce;

    WalBatcher(String remoteRegion, LocalRegion local, ShippingConfig config) {
        this.remoteRegion = remoteRegion;
        this.local = local;
        this.config = config;
        this.codec = new BatchCodec(config);
        this.accumulator = new BatchAccumulator(config);
    }

    /**
     * Drops the batch being built and positions the reader at {@code index}, opening it on first use.
     *
     * @throws io.meridian.wal.WalReleasedException if this node's WAL no longer holds {@code index}
     * @throws io.meridian.wal.WalException         or {@link IllegalArgumentException} if it cannot be positioned
     */
    void seek(long index) {
        reset();
        if (reader == null) {
            reader = local.wal().openReader(index);
        } else {
            reader.seek(index);
        }
    }

    /** Whether a reader is open (a {@link #seek} succeeded since the last {@link #close}). */
    boolean positioned() {
        return reader != null;
    }

    /**
     * Reads entries up to {@code limit} (and the WAL's end) into the batch being built, and cuts it
     * into {@link #pending()} when it is full, lingered long enough, or nothing is gained by waiting.
     * Call only while nothing is pending.
     *
     * @param linkIdle whether nothing is in flight to the remote
     * @return how many entries were read
     * @throws UnshippableEntryException if the next entry can never ship
     */
    int fill(long limit, boolean linkIdle, long nowNanos) {
        if (!cutOnce) {
            lastCutNanos = nowNanos - config.lingerNanos();
            cutOnce = true;
        }
        int read = 0;
        long lastWanted = Math.min(limit, local.wal().lastIndex());
        while (accumulator.size() < config.maxBatchEntries() && nextToRead() <= lastWanted) {
            long index = nextToRead();
            WalEntry e;
            try {
                e = carried != null ? carried : reader.next();
            } catch (WalCorruptionException corrupt) {
                throw new UnshippableEntryException(FaultLog.WAL_CORRUPT,
                        "WAL entry " + index + " is corrupt: " + corrupt.getMessage(), corrupt);
            }
            carried = null;
            if (e == null) {
                break;
            }
            int size = BatchCodec.encodedSize(e);
            if (size > config.maxFrameBatchBytes()) {
                // Cannot happen for entries admission accepted (ShippingConfig sizes the frame for them);
                // an entry written under a larger limit must not block the loop by throwing forever.
                throw new UnshippableEntryException(FaultLog.OVERSIZED_ENTRY, "WAL entry " + e.index() + " encodes to "
                        + size + " bytes, more than one frame carries (" + config.maxFrameBatchBytes() + ")", null);
            }
            if (accumulator.isEmpty()) {
                openedMicros = LagAnatomy.wallMicros();
            }
            if (!accumulator.add(e, size, nowNanos)) {
                carried = e; // does not fit: starts the next batch
                break;
            }
            read++;
        }
        boolean full = carried != null || accumulator.size() >= config.maxBatchEntries();
        boolean drained = nextToRead() > lastWanted;
        // Paced smart batching: once the WAL is drained a batch leaves at once if nothing is in
        // flight or the previous batch left at least a linger ago; otherwise it waits, at most a
        // linger for its oldest entry. So an entry after a pause never waits, a steady stream is cut
        // into at most one batch per linger (each batch is one Raft entry in every remote region:
        // thousands of one-entry batches a second would cost them more than the lag they save), and
        // under load batches grow up to N / B.
        boolean paced = nowNanos - lastCutNanos >= config.lingerNanos();
        if (!accumulator.isEmpty() && (full || accumulator.shouldClose(nowNanos) || (drained && (linkIdle || paced))
                || (drained && lastWanted == limit))) {
            lastCutNanos = nowNanos;
            List<WalEntry> entries = accumulator.drain();
            WalEntry last = entries.get(entries.size() - 1);
            pending = new Pending(codec.encode(local.state().epoch(), entries), entries.get(0).index(), last.index(),
                    last.timestampMillis(), openedMicros);
        }
        return read;
    }

    private long nextToRead() {
        return carried != null ? carried.index() : reader.nextIndex();
    }

    /** The batch cut and not yet sent, or null. */
    Pending pending() {
        return pending;
    }

    /** The pending batch left. */
    void sent() {
        pending = null;
    }

    /** Drops the batch being built, the carried entry and the pending batch; the reader stays where it is. */
    void reset() {
        accumulator.clear();
        carried = null;
        pending = null;
    }

    /** Closes the reader; never throws (it runs on failure paths). */
    void close() {
        WalReader r = reader;
        reader = null;
        if (r != null) {
            try {
                r.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the WAL reader for region {}: {}", remoteRegion, e.toString());
            }
        }
    }
}
