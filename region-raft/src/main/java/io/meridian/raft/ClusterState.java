package io.meridian.raft;

import io.meridian.failover.VoterState;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The part of a region's state that its Raft group agrees on besides the user's data: where the
 * region stands in the cluster log and which region is primary in which epoch.
 *
 * <p>Immutable; the state machine swaps in a new instance on every change so readers on other
 * threads always see a consistent value.
 *
 * @param appliedIndex   last cluster-log index applied in this region
 * @param appliedEpoch   epoch of that entry (0 when none)
 * @param epoch          current epoch as known by this region
 * @param primaryRegion  primary region of {@code epoch}
 * @param basis          for an epoch begun by promotion or switchover: the last index of the previous epoch
 * @param fencedEpoch    highest epoch this region has been told about by a peer (>= epoch); when greater
 *                       than {@code epoch} the region knows it is deposed but has not yet received the change
 * @param fencedPrimary  primary region of {@code fencedEpoch}
 * @param epochStarts    first cluster-log index of each epoch seen in the log, in order (epoch, firstIndex)
 * @param votedEpoch     highest epoch this region's voter promised to a candidate (0 when none): a promise,
 *                       not an epoch, so it never fences anyone (see {@link VoterState})
 * @param votedFor       the candidate promised {@code votedEpoch} ("" when none)
 * @param members        membership changes since the startup topology, the latest per node, in the
 *                       order first recorded (a REMOVE stays as a tombstone: a node removed from the
 *                       startup topology must stay removed after a restart)
 */
public record ClusterState(long appliedIndex, long appliedEpoch, long epoch, String primaryRegion, long basis,
                           long fencedEpoch, String fencedPrimary, List<EpochStart> epochStarts, long votedEpoch,
                           String votedFor, List<MemberChange> members) {

    /** Version 3 added the members, version 2 the vote promise; versions 1 and 2 are still read. */
    private static final byte VERSION = 3;
    /** Bounds a corrupt count, not the cluster: tombstones of removed nodes stay, so allow many. */
    private static final int MAX_MEMBERS = 100_000;

    /** First index of an epoch in the cluster log. */
    public record EpochStart(long epoch, long firstIndex) { }

    public ClusterState {
        Objects.requireNonNull(primaryRegion, "primaryRegion");
        Objects.requireNonNull(fencedPrimary, "fencedPrimary");
        Objects.requireNonNull(votedFor, "votedFor");
        epochStarts = List.copyOf(epochStarts);
        members = List.copyOf(members);
    }

    public ClusterState(long appliedIndex, long appliedEpoch, long epoch, String primaryRegion, long basis,
                        long fencedEpoch, String fencedPrimary, List<EpochStart> epochStarts, long votedEpoch,
                        String votedFor) {
        this(appliedIndex, appliedEpoch, epoch, primaryRegion, basis, fencedEpoch, fencedPrimary, epochStarts, votedEpoch,
                votedFor, List.of());
    }

    public ClusterState(long appliedIndex, long appliedEpoch, long epoch, String primaryRegion, long basis,
                        long fencedEpoch, String fencedPrimary, List<EpochStart> epochStarts) {
        this(appliedIndex, appliedEpoch, epoch, primaryRegion, basis, fencedEpoch, fencedPrimary, epochStarts, 0, "");
    }

    /** This region as a voter: the newest established epoch it knows of, and its promise. */
    public VoterState voter() {
        return isFenced() ? new VoterState(fencedEpoch, fencedPrimary, votedEpoch, votedFor)
                : new VoterState(epoch, primaryRegion, votedEpoch, votedFor);
    }

    /** The newest established epoch this region knows of (its own, or one it was fenced by). */
    public long knownEpoch() {
        return Math.max(epoch, fencedEpoch);
    }

    /** The primary of {@link #knownEpoch()}. */
    public String knownPrimary() {
        return isFenced() ? fencedPrimary : primaryRegion;
    }

    /** The state after a committed vote: only the promise changes. */
    public ClusterState withVote(long newVotedEpoch, String newVotedFor) {
        return new ClusterState(appliedIndex, appliedEpoch, epoch, primaryRegion, basis, fencedEpoch, fencedPrimary,
                epochStarts, newVotedEpoch, newVotedFor, members);
    }

    /** State of a brand-new cluster whose first primary is {@code primaryRegion}, epoch 1. */
    public static ClusterState initial(String primaryRegion) {
        return new ClusterState(0, 0, 1, primaryRegion, 0, 1, primaryRegion, List.of(new EpochStart(1, 1)));
    }

    /** True when this region is primary in the current epoch and has not heard of a newer one. */
    public boolean isPrimary(String region) {
        return primaryRegion.equals(region) && fencedEpoch <= epoch;
    }

    /** True when a peer told this region about an epoch newer than the one in its log. */
    public boolean isFenced() {
        return fencedEpoch > epoch;
    }

    public ClusterState withApplied(long index, long entryEpoch) {
        return new ClusterState(index, entryEpoch, epoch, primaryRegion, basis, fencedEpoch, fencedPrimary, epochStarts,
                votedEpoch, votedFor, members);
    }

    /** The log reached an epoch-change entry at {@code index}. */
    public ClusterState withEpochChange(long index, long newEpoch, String newPrimary, long newBasis) {
        List<EpochStart> starts = new ArrayList<>(epochStarts);
        starts.add(new EpochStart(newEpoch, index));
        long fenced = Math.max(fencedEpoch, newEpoch);
        String fencedBy = fenced == newEpoch ? newPrimary : fencedPrimary;
        return new ClusterState(index, newEpoch, newEpoch, newPrimary, newBasis, fenced, fencedBy, starts, votedEpoch,
                votedFor, members);
    }

    public ClusterState withFence(long newFencedEpoch, String newFencedPrimary) {
        if (newFencedEpoch <= fencedEpoch) {
            return this;
        }
        return new ClusterState(appliedIndex, appliedEpoch, epoch, primaryRegion, basis, newFencedEpoch,
                newFencedPrimary, epochStarts, votedEpoch, votedFor, members);
    }

    /** The log reached a member change at {@code index}: it replaces any earlier change of that node. */
    public ClusterState withMemberChange(long index, long entryEpoch, MemberChange change) {
        List<MemberChange> next = new ArrayList<>(members);
        int at = -1;
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).nodeId().equals(change.nodeId())) {
                at = i;
            }
        }
        if (at >= 0) {
            next.set(at, change);
        } else {
            next.add(change);
        }
        return new ClusterState(index, entryEpoch, epoch, primaryRegion, basis, fencedEpoch, fencedPrimary, epochStarts,
                votedEpoch, votedFor, next);
    }

    /**
     * The epoch that the entry at {@code index} belongs to in this region's log, or -1 when
     * {@code index} is beyond what this region has applied.
     */
    public long epochAt(long index) {
        if (index > appliedIndex || index < 1) {
            return index == 0 ? 0 : -1;
        }
        long result = 0;
        for (EpochStart s : epochStarts) {
            if (s.firstIndex() <= index) {
                result = s.epoch();
            }
        }
        return result;
    }

    /**
     * True when the entry ({@code index}, {@code entryEpoch}) can never be part of this region's log:
     * an epoch newer than {@code entryEpoch} began here at or before {@code index}, so whatever this
     * region holds (or will hold) at that index belongs to another epoch. Known as soon as the epoch
     * change is applied, even before this region reaches {@code index}.
     */
    public boolean supersedes(long index, long entryEpoch) {
        for (EpochStart s : epochStarts) {
            if (s.epoch() > entryEpoch && s.firstIndex() <= index) {
                return true;
            }
        }
        return false;
    }

    /**
     * The last index at which a log whose last entry is ({@code index}, {@code entryEpoch}) agrees with
     * this region's log. Equal to {@code index} when the other log is a prefix of (or equal to) ours.
     */
    public long lastMatchingIndex(long index, long entryEpoch) {
        if (index == 0) {
            return 0;
        }
        if (index <= appliedIndex && epochAt(index) == entryEpoch) {
            return index;
        }
        // The other log's last entry is from entryEpoch: everything up to the end of that epoch in
        // our log matches (epochs are only ever started by a single primary), nothing after it.
        long endOfEpoch = -1;
        for (int i = 0; i < epochStarts.size(); i++) {
            EpochStart s = epochStarts.get(i);
            if (s.epoch() == entryEpoch) {
                endOfEpoch = i + 1 < epochStarts.size() ? epochStarts.get(i + 1).firstIndex() - 1 : appliedIndex;
            }
        }
        if (endOfEpoch < 0) {
            // Epoch unknown to us: fall back to the start of the first epoch newer than it.
            for (EpochStart s : epochStarts) {
                if (s.epoch() > entryEpoch) {
                    return Math.min(index, s.firstIndex() - 1);
                }
            }
            return Math.min(index, appliedIndex);
        }
        return Math.min(index, endOfEpoch);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(appliedIndex);
            out.writeLong(appliedEpoch);
            out.writeLong(epoch);
            out.writeUTF(primaryRegion);
            out.writeLong(basis);
            out.writeLong(fencedEpoch);
            out.writeUTF(fencedPrimary);
            out.writeInt(epochStarts.size());
            for (EpochStart s : epochStarts) {
                out.writeLong(s.epoch());
                out.writeLong(s.firstIndex());
            }
            out.writeLong(votedEpoch);
            out.writeUTF(votedFor);
            out.writeInt(members.size());
            for (MemberChange m : members) {
                m.write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ClusterState decode(DataInputStream in) throws IOException {
        byte version = in.readByte();
        if (version < 1 || version > VERSION) {
            throw new IOException("unsupported cluster state version " + version);
        }
        long applied = in.readLong();
        long appliedEpoch = in.readLong();
        long epoch = in.readLong();
        String primary = in.readUTF();
        long basis = in.readLong();
        long fencedEpoch = in.readLong();
        String fencedPrimary = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > 1_000_000) {
            throw new IOException("implausible epoch count " + n);
        }
        List<EpochStart> starts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            starts.add(new EpochStart(in.readLong(), in.readLong()));
        }
        long votedEpoch = version >= 2 ? in.readLong() : 0;
        String votedFor = version >= 2 ? in.readUTF() : "";
        List<MemberChange> members = new ArrayList<>();
        if (version >= 3) {
            int m = in.readInt();
            if (m < 0 || m > MAX_MEMBERS) {
                throw new IOException("implausible member count " + m);
            }
            for (int i = 0; i < m; i++) {
                members.add(MemberChange.read(in));
            }
        }
        return new ClusterState(applied, appliedEpoch, epoch, primary, basis, fencedEpoch, fencedPrimary, starts,
                votedEpoch, votedFor, members);
    }
}
