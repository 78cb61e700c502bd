package io.meridian.raft;

import io.meridian.wal.MalformedEntryException;
import io.meridian.wal.ShippedEntryFormat;
import io.meridian.wal.SessionTag;
import io.meridian.wal.WalEntry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a region proposes to its own Raft group. Encoded into the JRaft log entry's data; the
 * layout is versioned by the first byte (the command type) and is local to a region (never sent
 * between regions), so it can change with a rolling upgrade of one region's nodes. The entries of a
 * {@link Batch} are in {@link ShippedEntryFormat}, the same form the cross-region batches carry.
 */
public sealed interface RaftCommand permits RaftCommand.Write, RaftCommand.Batch, RaftCommand.EpochChangeCommand,
        RaftCommand.Fence, RaftCommand.InstallImage, RaftCommand.Vote, RaftCommand.Member {

    byte WRITE = 1;
    // 2 was BATCH with entries in a layout of its own (big-endian, i32 origin length): never reused,
    // so a log written before ShippedEntryFormat fails loudly ("unknown Raft command type 2").
    byte BATCH = 9;
    byte EPOCH_CHANGE = 3;
    byte FENCE = 4;
    byte INSTALL_IMAGE = 5;
    byte VOTE = 6;
    byte MEMBER = 7;
    byte SESSION_WRITE = 8;

    /**
     * A client write admitted by the primary's leader at {@code epoch}. The state machine refuses it
     * deterministically if, by the time it is applied, the region is no longer primary in that epoch.
     */
    record Write(long epoch, long timestampMillis, byte[] payload, SessionTag session) implements RaftCommand {
        public Write(long epoch, long timestampMillis, byte[] payload) {
            this(epoch, timestampMillis, payload, null);
        }

        /** What the WAL entry holds: the user's bytes, behind the session tag when there is one. */
        byte[] entryPayload() {
            return session == null ? payload : session.wrap(payload);
        }
    }

    /** Consecutive cluster-log entries received from the primary region. */
    record Batch(long senderEpoch, List<WalEntry> entries) implements RaftCommand { }

    /** This region starts a new epoch (switchover hand-over or promotion) at the next log index. */
    record EpochChangeCommand(long timestampMillis, EpochChange change) implements RaftCommand { }

    /** A peer told this region that {@code epoch} exists with {@code primaryRegion} as primary. */
    record Fence(long epoch, String primaryRegion) implements RaftCommand { }

    /**
     * A candidate asks this region for its vote in {@code epoch}; the region's voter state decides, the
     * same way on every node, and the outcome ({@link Outcome.Vote}) is the answer.
     */
    record Vote(long epoch, String candidate, boolean mayYield) implements RaftCommand { }

    /**
     * A membership change admitted by the primary's leader at {@code epoch}; like a {@link Write} it
     * becomes a cluster-log entry (CONTROL, holding the {@link MemberChange}) only if the region is
     * still primary in that epoch when it is applied.
     */
    record Member(long epoch, long timestampMillis, MemberChange change) implements RaftCommand { }

    /** Replace the whole state with an image of the primary's, taken at {@code state.appliedIndex()}. */
    record InstallImage(ClusterState state, byte[] userSnapshot, byte[] sessions) implements RaftCommand {
        public InstallImage(ClusterState state, byte[] userSnapshot) {
            this(state, userSnapshot, new byte[0]);
        }
    }

    static byte[] encode(RaftCommand command) {
        if (command instanceof Write w) {
            // A write in a session gets its own type, so the layout of plain writes stays as it was.
            byte[] payload = w.entryPayload();
            ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 4 + payload.length);
            b.put(w.session() == null ? WRITE : SESSION_WRITE).putLong(w.epoch()).putLong(w.timestampMillis())
                    .putInt(payload.length).put(payload);
            return b.array();
        }
        if (command instanceof Batch batch) {
            int size = 1 + 8 + 4;
            for (WalEntry e : batch.entries()) {
                size += ShippedEntryFormat.size(e);
            }
            ByteBuffer b = ByteBuffer.allocate(size);
            b.put(BATCH).putLong(batch.senderEpoch()).putInt(batch.entries().size());
            for (WalEntry e : batch.entries()) {
                ShippedEntryFormat.put(b, e);
            }
            return b.array();
        }
        if (command instanceof EpochChangeCommand ec) {
            byte[] change = ec.change().encode();
            ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + change.length);
            b.put(EPOCH_CHANGE).putLong(ec.timestampMillis()).putInt(change.length).put(change);
            return b.array();
        }
        if (command instanceof Fence f) {
            return epochAndRegion(FENCE, f.epoch(), f.primaryRegion());
        }
        if (command instanceof Vote v) {
            byte[] vote = epochAndRegion(VOTE, v.epoch(), v.candidate());
            byte[] withFlag = java.util.Arrays.copyOf(vote, vote.length + 1);
            withFlag[vote.length] = (byte) (v.mayYield() ? 1 : 0);
            return withFlag;
        }
        if (command instanceof Member m) {
            byte[] change = m.change().encode();
            ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 4 + change.length);
            b.put(MEMBER).putLong(m.epoch()).putLong(m.timestampMillis()).putInt(change.length).put(change);
            return b.array();
        }
        InstallImage image = (InstallImage) command;
        byte[] state = image.state().encode();
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + state.length + 4 + image.userSnapshot().length + 4
                + image.sessions().length);
        b.put(INSTALL_IMAGE).putInt(state.length).put(state).putInt(image.userSnapshot().length).put(image.userSnapshot())
                .putInt(image.sessions().length).put(image.sessions());
        return b.array();
    }

    static RaftCommand decode(ByteBuffer data) {
        ByteBuffer b = data.slice();
        byte type = b.get();
        switch (type) {
            case WRITE -> {
                long epoch = b.getLong();
                long ts = b.getLong();
                return new Write(epoch, ts, bytes(b));
            }
            case SESSION_WRITE -> {
                long epoch = b.getLong();
                long ts = b.getLong();
                byte[] wrapped = bytes(b);
                return new Write(epoch, ts, SessionTag.unwrap(wrapped), SessionTag.read(wrapped));
            }
            case BATCH -> {
                long senderEpoch = b.getLong();
                int n = b.getInt();
                if (n < 0 || (long) n * ShippedEntryFormat.HEADER_LENGTH > b.remaining()) {
                    throw new IllegalStateException("corrupt Raft command: " + n + " entries in " + b.remaining() + " bytes");
                }
                ShippedEntryFormat.Reader reader = new ShippedEntryFormat.Reader();
                List<WalEntry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    try {
                        entries.add(reader.get(b));
                    } catch (MalformedEntryException e) {
                        throw new IllegalStateException("corrupt Raft command: " + e.getMessage(), e);
                    }
                }
                return new Batch(senderEpoch, entries);
            }
            case EPOCH_CHANGE -> {
                long ts = b.getLong();
                return new EpochChangeCommand(ts, EpochChange.decode(bytes(b)));
            }
            case FENCE -> {
                long epoch = b.getLong();
                return new Fence(epoch, new String(bytes(b), StandardCharsets.UTF_8));
            }
            case VOTE -> {
                long epoch = b.getLong();
                String candidate = new String(bytes(b), StandardCharsets.UTF_8);
                return new Vote(epoch, candidate, b.get() == 1);
            }
            case MEMBER -> {
                long epoch = b.getLong();
                long ts = b.getLong();
                return new Member(epoch, ts, MemberChange.decode(bytes(b)));
            }
            case INSTALL_IMAGE -> {
                byte[] state = bytes(b);
                byte[] user = bytes(b);
                byte[] sessions = b.hasRemaining() ? bytes(b) : new byte[0]; // absent before sessions existed
                try {
                    return new InstallImage(ClusterState.decode(new java.io.DataInputStream(
                            new java.io.ByteArrayInputStream(state))), user, sessions);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("corrupt image command", e);
                }
            }
            default -> throw new IllegalStateException("unknown Raft command type " + type);
        }
    }

    private static byte[] epochAndRegion(byte type, long epoch, String region) {
        byte[] name = region.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + name.length);
        b.put(type).putLong(epoch).putInt(name.length).put(name);
        return b.array();
    }

    private static byte[] bytes(ByteBuffer b) {
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
            throw new IllegalStateException("corrupt Raft command: length " + len + " > remaining " + b.remaining());
        }
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }
}
