package io.meridian.failover;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which epoch each cluster-log index belongs to: a list of (epoch, firstIndex) in increasing order.
 * Two logs hold the same entry at index N exactly when both say N has the same epoch, which is how a
 * former primary finds where its divergent tail starts.
 *
 * <p>Immutable. Part of Raft snapshots, so it has a versioned binary form ({@link #toBytes()}).
 */
public final class EpochHistory {

    /** Returned by {@link #epochAt(long)} for an index before the history starts. */
    public static final long NO_EPOCH = 0;

    static final byte FORMAT_VERSION = 1;
    private static final int HEADER_BYTES = 1 + 4;
    private static final int ENTRY_BYTES = 8 + 8;

    private final long[] epochs;
    private final long[] firstIndexes;

    private EpochHistory(long[] epochs, long[] firstIndexes) {
        this.epochs = epochs;
        this.firstIndexes = firstIndexes;
    }

    /** Epoch 1 starting at index 1: a fresh cluster. */
    public static EpochHistory initial() {
        return of(RegionState.INITIAL_EPOCH, 1);
    }

    /** A history whose first known epoch is {@code epoch}, starting at {@code firstIndex}. */
    public static EpochHistory of(long epoch, long firstIndex) {
        validate(new long[] {epoch}, new long[] {firstIndex}, 1);
        return new EpochHistory(new long[] {epoch}, new long[] {firstIndex});
    }

    /**
     * Starts {@code epoch} at {@code firstIndex}. Epochs that started after {@code firstIndex} are
     * dropped: their entries lie beyond the new epoch's basis, so they were a divergent tail. Re-adding
     * the latest epoch with the same first index changes nothing.
     *
     * @throws IllegalArgumentException if {@code epoch} is not newer than the latest epoch
     */
    public EpochHistory append(long epoch, long firstIndex) {
        final int last = epochs.length - 1;
        if (epoch == epochs[last] && firstIndex == firstIndexes[last]) {
            return this;
        }
        if (epoch <= epochs[last]) {
            throw new IllegalArgumentException("epoch " + epoch + " is not newer than latest epoch " + epochs[last]);
        }
        if (firstIndex < 1) {
            throw new IllegalArgumentException("firstIndex must be >= 1: " + firstIndex);
        }
        int keep = epochs.length;
        while (keep > 0 && firstIndexes[keep - 1] > firstIndex) {
            keep--;
        }
        final long[] newEpochs = Arrays.copyOf(epochs, keep + 1);
        final long[] newFirst = Arrays.copyOf(firstIndexes, keep + 1);
        newEpochs[keep] = epoch;
        newFirst[keep] = firstIndex;
        return new EpochHistory(newEpochs, newFirst);
    }

    /** The epoch that wrote {@code index}, or {@link #NO_EPOCH} if the index precedes the history. */
    public long epochAt(long index) {
        // Last entry whose firstIndex <= index; among equal first indexes the newest epoch wins
        // because the older ones never wrote anything.
        int lo = 0;
        int hi = epochs.length - 1;
        int found = -1;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            if (firstIndexes[mid] <= index) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? NO_EPOCH : epochs[found];
    }

    /** True when the entry at {@code index} was written in {@code epoch} according to this history. */
    public boolean matches(long index, long epoch) {
        return epoch != NO_EPOCH && epochAt(index) == epoch;
    }

    /** First index of {@code epoch}, or -1 if the epoch is not in the history. */
    public long firstIndexOf(long epoch) {
        final int i = Arrays.binarySearch(epochs, epoch);
        return i < 0 ? -1 : firstIndexes[i];
    }

    /**
     * Last index {@code epoch} can own: one before the next epoch starts, {@link Long#MAX_VALUE} for the
     * latest epoch, -1 if the epoch is not in the history.
     */
    public long lastIndexOf(long epoch) {
        final int i = Arrays.binarySearch(epochs, epoch);
        if (i < 0) {
            return -1;
        }
        return i == epochs.length - 1 ? Long.MAX_VALUE : firstIndexes[i + 1] - 1;
    }

    public long latestEpoch() {
        return epochs[epochs.length - 1];
    }

    public int size() {
        return epochs.length;
    }

    /** Entries as (epoch, firstIndex) pairs, oldest first. */
    public List<long[]> entries() {
        final List<long[]> list = new ArrayList<>(epochs.length);
        for (int i = 0; i < epochs.length; i++) {
            list.add(new long[] {epochs[i], firstIndexes[i]});
        }
        return list;
    }

    /** Format: version byte, int count, then count x (long epoch, long firstIndex), big-endian. */
    public byte[] toBytes() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER_BYTES + ENTRY_BYTES * epochs.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeInt(epochs.length);
            for (int i = 0; i < epochs.length; i++) {
                out.writeLong(epochs[i]);
                out.writeLong(firstIndexes[i]);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("in-memory stream cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes {@link #toBytes()} output.
     *
     * @throws IllegalArgumentException naming what is wrong when the bytes are not a valid history
     */
    public static EpochHistory fromBytes(byte[] bytes) {
        if (bytes.length < HEADER_BYTES) {
            throw new IllegalArgumentException("epoch history truncated: " + bytes.length + " bytes, header needs " + HEADER_BYTES);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            final byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("epoch history: unsupported format version " + version
                        + " (this build reads version " + FORMAT_VERSION + ")");
            }
            final int count = in.readInt();
            final long expectedLength = HEADER_BYTES + (long) ENTRY_BYTES * Math.max(count, 0);
            if (count < 1 || expectedLength != bytes.length) {
                throw new IllegalArgumentException("epoch history: " + count + " entries need " + expectedLength
                        + " bytes but " + bytes.length + " were given");
            }
            final long[] epochs = new long[count];
            final long[] firstIndexes = new long[count];
            for (int i = 0; i < count; i++) {
                epochs[i] = in.readLong();
                firstIndexes[i] = in.readLong();
            }
            validate(epochs, firstIndexes, count);
            return new EpochHistory(epochs, firstIndexes);
        } catch (final EOFException e) {
            throw new IllegalArgumentException("epoch history truncated", e);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void validate(long[] epochs, long[] firstIndexes, int count) {
        for (int i = 0; i < count; i++) {
            if (epochs[i] < RegionState.INITIAL_EPOCH || firstIndexes[i] < 1) {
                throw new IllegalArgumentException("epoch history entry " + i + ": epoch " + epochs[i]
                        + " / firstIndex " + firstIndexes[i] + " must both be >= 1");
            }
            if (i > 0 && (epochs[i] <= epochs[i - 1] || firstIndexes[i] < firstIndexes[i - 1])) {
                throw new IllegalArgumentException("epoch history entry " + i + " (" + epochs[i] + "@" + firstIndexes[i]
                        + ") does not follow (" + epochs[i - 1] + "@" + firstIndexes[i - 1] + ")");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochHistory h && Arrays.equals(epochs, h.epochs) && Arrays.equals(firstIndexes, h.firstIndexes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(epochs) + Arrays.hashCode(firstIndexes);
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("EpochHistory[");
        for (int i = 0; i < epochs.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(epochs[i]).append('@').append(firstIndexes[i]);
        }
        return sb.append(']').toString();
    }
}
