package io.meridian.sim.check;

import io.meridian.kv.KvCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class WriteRecordTest {

    @Test
    void workloadValueCarriesTheWriteId() {
        byte[] value = WriteRecord.valueFor(12_345, 64);

        assertThat(value).hasSize(64);
        assertThat(new String(value, StandardCharsets.US_ASCII)).startsWith("w12345:xxx");
        assertThat(WriteRecord.writeIdOf(KvCommand.put("key", value))).isEqualTo(12_345);
        assertThat(WriteRecord.writeIdOf(KvCommand.put("key", WriteRecord.valueFor(Integer.MAX_VALUE, 0))))
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void unparseablePayloadsHaveNoWriteId() {
        assertThat(WriteRecord.writeIdOf(null)).isEqualTo(-1);
        assertThat(WriteRecord.writeIdOf(new byte[]{9, 9})).isEqualTo(-1);
        assertThat(WriteRecord.writeIdOf(new byte[]{7, 0, 1, 'k', 'w', '1', ':'})).as("unknown op").isEqualTo(-1);
        assertThat(WriteRecord.writeIdOf(KvCommand.delete("key"))).isEqualTo(-1);
        assertThat(WriteRecord.writeIdOf(KvCommand.put("key", "w:"))).isEqualTo(-1);
        assertThat(WriteRecord.writeIdOf(KvCommand.put("key", "w12"))).isEqualTo(-1);
        assertThat(WriteRecord.writeIdOf(KvCommand.put("key", "x12:"))).isEqualTo(-1);
        assertThat(WriteRecord.writeIdOf(KvCommand.put("key", "w1a:"))).isEqualTo(-1);
        assertThat(WriteRecord.writeIdOf(KvCommand.put("key", "w2147483648:"))).isEqualTo(-1);
        assertThat(WriteRecord.writeIdOf(KvCommand.put("key", "w99999999999:"))).isEqualTo(-1);
    }

    @Test
    void failedWriteKeepsTheErrorAndNoPosition() {
        WriteRecord r = WriteRecord.notAcked(3, "k", "eu", 1, 2, WriteRecord.Status.UNKNOWN,
                new IllegalStateException("lease lost"));

        assertThat(r.error()).isEqualTo("IllegalStateException: lease lost");
        assertThat(r.epoch()).isEqualTo(-1);
        assertThat(r.index()).isEqualTo(-1);
        assertThat(r.isAcked()).isFalse();
        assertThatThrownBy(() -> WriteRecord.notAcked(3, "k", "eu", 1, 2, WriteRecord.Status.ACKED, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ackedWritePrintsItsPosition() {
        assertThat(WriteRecord.acked(1, "k", "eu", 1, 2, 2, 1045).position()).isEqualTo("2:1045");
    }
}
