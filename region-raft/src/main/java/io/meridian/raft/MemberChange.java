package io.meridian.raft;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A change of a region's membership, recorded as a control entry of the cluster log. It is proposed
 * on the primary region's leader and ships to every region in log order with the data, so every node
 * of every region learns it at the same index, keeps it in its {@link ClusterState} (snapshots carry
 * it) and derives the topology it knows from it. The region whose membership changes brings its Raft
 * configuration in line from there (its leader adds or removes the JRaft peer or learner).
 *
 * <p>Its payload starts with {@link #TAG}, which an {@link EpochChange} (first byte: its version, 1)
 * never does: that is how a control entry says which record it holds.
 *
 * @param op            ADD (also re-adds with a new role) or REMOVE
 * @param nodeId        the node
 * @param region        its region
 * @param raftEndpoint  its Raft endpoint ({@code host:port})
 * @param aeronEndpoint its Aeron endpoint, "" in a single-region cluster
 * @param adminEndpoint its admin HTTP address, "" when unknown (operators' tools only)
 * @param observer      a JRaft learner: receives the log, never votes, never counts toward quorum
 */
public record MemberChange(Op op, String nodeId, String region, String raftEndpoint, String aeronEndpoint,
                           String adminEndpoint, boolean observer) {

    /** First byte of an encoded member change ('M'). */
    public static final byte TAG = 0x4D;

    /** What the change does. */
    public enum Op { ADD, REMOVE }

    public MemberChange {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(raftEndpoint, "raftEndpoint");
        aeronEndpoint = aeronEndpoint == null ? "" : aeronEndpoint;
        adminEndpoint = adminEndpoint == null ? "" : adminEndpoint;
    }

    public boolean isRemove() {
        return op == Op.REMOVE;
    }

    /** True when {@code controlPayload} (the payload of a CONTROL entry) holds a member change. */
    public static boolean isMemberChange(byte[] controlPayload) {
        return controlPayload.length > 0 && controlPayload[0] == TAG;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(TAG);
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The fields without the tag (also how {@link ClusterState} stores its members). */
    void write(DataOutputStream out) throws IOException {
        out.writeByte(op.ordinal());
        out.writeUTF(nodeId);
        out.writeUTF(region);
        out.writeUTF(raftEndpoint);
        out.writeUTF(aeronEndpoint);
        out.writeUTF(adminEndpoint);
        out.writeBoolean(observer);
    }

    static MemberChange read(DataInputStream in) throws IOException {
        int op = in.readByte();
        if (op < 0 || op >= Op.values().length) {
            throw new IOException("unknown member change op " + op);
        }
        return new MemberChange(Op.values()[op], in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(),
                in.readBoolean());
    }

    public static MemberChange decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte tag = in.readByte();
            if (tag != TAG) {
                throw new IllegalStateException("not a member change (first byte " + tag + ")");
            }
            return read(in);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt member change: " + e.getMessage(), e);
        }
    }
}
