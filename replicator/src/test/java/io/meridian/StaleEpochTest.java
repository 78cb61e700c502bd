package io.meridian;

import io.meridian.support.LoopbackPorts;

import io.meridian.transport.AeronTransport;
import io.meridian.transport.ClusterSecret;
import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.transport.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Issue 4: after an epoch change, a stale-epoch handshake, batch or write is refused everywhere. */
@Timeout(180)
class StaleEpochTest {

    @TempDir
    Path dir;

    @Test
    void staleHandshakeBatchAndWriteAreRefusedWithTheCurrentEpoch() throws Exception {
        try (RegionCluster c = CrossRegionReplicationTest.cluster(dir, 2).startAll()) {
            Replicator r0 = c.awaitLeader("r0");
            c.awaitLeader("r1");
            new Writes().writeAll(r0, 200, 16);
            r0.switchover("r1").get(30, TimeUnit.SECONDS);
            Replicator r1 = c.awaitLeader("r1");
            await().atMost(Duration.ofSeconds(20)).until(() -> "PRIMARY".equals(r1.health().regionRole()));
            long appliedBefore = r1.appliedPosition().index();

            // A deposed primary (still at epoch 1) talking to the new primary with the right secret.
            String impostor = LoopbackPorts.endpoint();
            List<Envelope> replies = new CopyOnWriteArrayList<>();
            try (AeronTransport t = AeronTransport.launch(new AeronTransport.Context().endpoint(impostor)
                    .regionId("r0").nodeId("r0-old").secret(ClusterSecret.of(RegionCluster.SECRET)))) {
                String target = c.topology().node(r1.nodeId()).orElseThrow().aeronEndpoint();
                Message.Batch stale = new io.meridian.xregion.BatchCodec(1024, 1 << 20).encode(1,
                        List.of(new io.meridian.wal.WalEntry(appliedBefore + 1, 0, 0, 1, "r0", System.currentTimeMillis(),
                                io.meridian.wal.WalEntry.TYPE_DATA, Writes.payload(999_999))));
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    t.send(target, 1, new Message.Handshake("", 1, "r0"));
                    t.send(target, 1, stale);
                    t.poll(replies::add, 16);
                    return replies.stream().filter(e -> e.message() instanceof Message.Reject r
                            && r.reason() == RejectReason.STALE_EPOCH).count() >= 2;
                });
            }
            for (Envelope e : replies) {
                if (e.message() instanceof Message.Reject r) {
                    assertThat(r.reason()).isEqualTo(RejectReason.STALE_EPOCH);
                    assertThat(r.epoch()).isEqualTo(2);
                    assertThat(r.detail()).isEqualTo("r1");
                }
            }
            assertThat(c.kv(r1.nodeId()).getString("w999999")).isNull();

            // A client write to the old primary names the new one.
            assertThatThrownBy(() -> c.awaitLeader("r0").apply(Writes.payload(7)).join())
                    .hasCauseInstanceOf(NotPrimaryException.class)
                    .hasMessageContaining("primary is r1").hasMessageContaining("epoch 2");
        }
    }
}
