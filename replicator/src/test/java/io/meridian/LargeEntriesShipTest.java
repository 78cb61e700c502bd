package io.meridian;

import io.meridian.kv.KvCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every entry admission accepts ships: incompressible values from 1 byte up to exactly
 * maxPayloadBytes, interleaved and pipelined, over real Aeron UDP, JRaft and Chronicle in two
 * regions. Before the term was sized for the payload limit, any frame above 128 KiB (1 MiB term / 8)
 * made the publisher throw on every duty cycle and shipping to every region stopped.
 */
@Timeout(180)
class LargeEntriesShipTest {

    private static final int MAX_PAYLOAD = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void incompressibleValuesUpToMaxPayloadReachTheOtherRegion() throws Exception {
        try (RegionCluster c = CrossRegionReplicationTest.cluster(dir, 2).startAll()) {
            Replicator primary = c.awaitLeader("r0");
            c.awaitLeader("r1");
            Random random = new Random(42);
            List<CompletableFuture<Position>> writes = new ArrayList<>();
            int n = 0;
            for (int round = 0; round < 3; round++) {
                for (int valueSize : new int[] {1, 100 * 1024, 200 * 1024, -1}) {
                    String key = "k" + n++;
                    byte[] value = new byte[valueSize > 0 ? valueSize : MAX_PAYLOAD - 3 - key.length()];
                    random.nextBytes(value);
                    byte[] command = KvCommand.put(key, value);
                    assertThat(command.length).isLessThanOrEqualTo(MAX_PAYLOAD);
                    writes.add(primary.apply(command));
                }
            }
            for (CompletableFuture<Position> w : writes) {
                w.get(60, TimeUnit.SECONDS);
            }
            long last = primary.appliedPosition().index();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r1", last);
            CrossRegionReplicationTest.assertConverged(c, last);
            assertThat(c.kv(c.awaitLeader("r1").nodeId()).size()).isEqualTo(n);
            Health.RemoteStatus toR1 = primary.health().remotes().get("r1");
            assertThat(toR1.errors()).as("shipper errors: %s", toR1.lastError()).isZero();
            assertThat(primary.crossRegionFaults()).containsEntry("transport_rebuilds", 0L);
        }
    }

    @Test
    void limitsNoFrameCarriesAreRejectedAtConclude() {
        assertThatThrownBy(() -> context(MAX_PAYLOAD, new CrossRegionSettings().maxBatchBytes(4 * 1024 * 1024))
                .conclude()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatchBytes");
        assertThatThrownBy(() -> context(32 * 1024 * 1024, new CrossRegionSettings()).conclude())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayloadBytes");
        assertThat(context(MAX_PAYLOAD, new CrossRegionSettings()).conclude().shipping().termLength())
                .as("1 MiB payloads need 16 MiB terms (2 MiB frames)").isEqualTo(16 * 1024 * 1024);
    }

    private ReplicatorContext context(int maxPayload, CrossRegionSettings settings) {
        return new ReplicatorContext().nodeId("r0-1").topology(RegionCluster.topology(2, 1)).dataDir(dir)
                .stateMachine(new io.meridian.kv.KvStateMachine()).clusterSecret(RegionCluster.SECRET)
                .maxPayloadBytes(maxPayload).crossRegion(settings);
    }
}
