package io.meridian.raft;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * One file per JRaft snapshot: {@code magic, version, cluster state, user snapshot, session table,
 * CRC32C}. The cluster state carries the WAL position ({@code appliedIndex}) the user state
 * corresponds to. Version 1 (no session table) is still read, as an empty table.
 */
public final class SnapshotFile {

    public static final String NAME = "meridian.snapshot";
    private static final int MAGIC = 0x4D52534E; // "MRSN"
    private static final byte VERSION = 2;

    /** A decoded snapshot: the cluster state (with its WAL position) and the user state. */
    public record Contents(ClusterState state, byte[] userSnapshot, byte[] sessions) { }

    private SnapshotFile() {
    }

    static void write(Path file, ClusterState state, byte[] userSnapshot, byte[] sessions) throws IOException {
        byte[] stateBytes = state.encode();
        CRC32C crc = new CRC32C();
        crc.update(stateBytes);
        crc.update(userSnapshot);
        crc.update(sessions);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeInt(stateBytes.length);
            out.write(stateBytes);
            out.writeInt(userSnapshot.length);
            out.write(userSnapshot);
            out.writeInt(sessions.length);
            out.write(sessions);
            out.writeInt((int) crc.getValue());
        }
    }

    public static Contents read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a Meridian snapshot: " + file);
            }
            byte version = in.readByte();
            if (version != VERSION && version != 1) {
                throw new IOException("unsupported snapshot version " + version + " in " + file);
            }
            byte[] stateBytes = in.readNBytes(in.readInt());
            byte[] user = in.readNBytes(in.readInt());
            byte[] sessions = version >= 2 ? in.readNBytes(in.readInt()) : new byte[0];
            CRC32C crc = new CRC32C();
            crc.update(stateBytes);
            crc.update(user);
            crc.update(sessions);
            if (in.readInt() != (int) crc.getValue()) {
                throw new IOException("snapshot checksum mismatch in " + file);
            }
            ClusterState state = ClusterState.decode(new DataInputStream(new java.io.ByteArrayInputStream(stateBytes)));
            return new Contents(state, user, sessions);
        }
    }
}
