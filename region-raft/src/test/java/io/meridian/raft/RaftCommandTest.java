package io.meridian.raft;

import io.meridian.wal.WalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class RaftCommandTest {

    private static RaftCommand roundTrip(RaftCommand c) {
        return RaftCommand.decode(ByteBuffer.wrap(RaftCommand.encode(c)));
    }

    @Test
    void everyCommandRoundTrips() {
        RaftCommand.Write w = (RaftCommand.Write) roundTrip(new RaftCommand.Write(3, 42, "hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(w.epoch()).isEqualTo(3);
        assertThat(w.timestampMillis()).isEqualTo(42);
        assertThat(new String(w.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");

        WalEntry e = new WalEntry(7, 0, 0, 2, "région", 99, WalEntry.TYPE_DATA, new byte[] {1, 2, 3});
        RaftCommand.Batch b = (RaftCommand.Batch) roundTrip(new RaftCommand.Batch(2, List.of(e)));
        assertThat(b.senderEpoch()).isEqualTo(2);
        assertThat(b.entries()).hasSize(1);
        assertThat(b.entries().get(0).sameContentAs(e)).isTrue();

        EpochChange change = new EpochChange(4, "us", 1000, EpochChange.Reason.PROMOTION);
        RaftCommand.EpochChangeCommand ec = (RaftCommand.EpochChangeCommand) roundTrip(
                new RaftCommand.EpochChangeCommand(5, change));
        assertThat(ec.change()).isEqualTo(change);

        RaftCommand.Fence f = (RaftCommand.Fence) roundTrip(new RaftCommand.Fence(9, "ap"));
        assertThat(f.epoch()).isEqualTo(9);
        assertThat(f.primaryRegion()).isEqualTo("ap");

        ClusterState state = ClusterState.initial("eu").withApplied(10, 1);
        RaftCommand.InstallImage img = (RaftCommand.InstallImage) roundTrip(new RaftCommand.InstallImage(state, new byte[] {9}));
        assertThat(img.state()).isEqualTo(state);
        assertThat(img.userSnapshot()).containsExactly(9);
    }

    @Test
    void corruptCommandsFailWithAClearError() {
        byte[] bytes = RaftCommand.encode(new RaftCommand.Write(1, 1, new byte[10]));
        bytes[17] = 127; // payload length far past the end
        assertThatThrownBy(() -> RaftCommand.decode(ByteBuffer.wrap(bytes))).hasMessageContaining("corrupt");
        assertThatThrownBy(() -> RaftCommand.decode(ByteBuffer.wrap(new byte[] {42}))).hasMessageContaining("unknown");

        WalEntry e = new WalEntry(7, 0, 0, 2, "eu", 99, WalEntry.TYPE_DATA, new byte[] {1, 2, 3});
        byte[] batch = RaftCommand.encode(new RaftCommand.Batch(2, List.of(e, new WalEntry(8, 0, 0, 2, "eu", 99,
                WalEntry.TYPE_DATA, new byte[0]))));
        assertThatThrownBy(() -> RaftCommand.decode(ByteBuffer.wrap(java.util.Arrays.copyOf(batch, batch.length - 1))))
                .hasMessageContaining("corrupt");
        byte[] badType = batch.clone();
        badType[1 + 8 + 4 + 24] = 9; // the first entry's type
        assertThatThrownBy(() -> RaftCommand.decode(ByteBuffer.wrap(badType))).hasMessageContaining("corrupt");
        byte[] oldLayout = batch.clone();
        oldLayout[0] = 2; // the batch layout before ShippedEntryFormat: refused, never misread
        assertThatThrownBy(() -> RaftCommand.decode(ByteBuffer.wrap(oldLayout))).hasMessageContaining("unknown");
    }

    @Test
    void snapshotFileDetectsCorruption() throws Exception {
        Path file = Files.createTempFile("meridian", ".snapshot");
        try {
            SnapshotFile.write(file, ClusterState.initial("eu").withApplied(5, 1), "user-state".getBytes(StandardCharsets.UTF_8),
                    new byte[0]);
            SnapshotFile.Contents c = SnapshotFile.read(file);
            assertThat(c.state().appliedIndex()).isEqualTo(5);
            assertThat(new String(c.userSnapshot(), StandardCharsets.UTF_8)).isEqualTo("user-state");
            byte[] raw = Files.readAllBytes(file);
            raw[raw.length - 12] ^= 0x40; // a byte of the user state (then session length, CRC)
            Files.write(file, raw);
            assertThatThrownBy(() -> SnapshotFile.read(file)).hasMessageContaining("checksum");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
