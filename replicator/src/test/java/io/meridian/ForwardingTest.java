package io.meridian;

import io.meridian.kv.KvCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, item 1: a write reaching a follower or a secondary region is forwarded to the primary's
 * leader over the authenticated cross-region transport (opt-in per call and per node), refused
 * with the primary and its leader named otherwise, and reported as an unknown outcome when the hop
 * times out. Real JRaft, Chronicle and Aeron on 127.0.0.1.
 */
@Timeout(180)
class ForwardingTest {

    @TempDir
    Path dir;

    private static RegionCluster cluster(Path dir, boolean forwardByDefault) {
        return new RegionCluster(dir, RegionCluster.topology(2, 3), c -> c
                .applyTimeout(Duration.ofSeconds(3))
                .forwardWrites(forwardByDefault)
                .crossRegion(new CrossRegionSettings().ackTimeout(Duration.ofMillis(500))
                        .handshakeTimeout(Duration.ofMillis(300))));
    }

    @Test
    void writesFromFollowersAndSecondariesAreForwardedOnlyWhenAsked() throws Exception {
        try (RegionCluster c = cluster(dir, false).startAll()) {
            Replicator primary = c.awaitLeader("r0");
            c.awaitLeader("r1");
            Replicator secondaryFollower = c.follower("r1");

            // Off (the node's default): refused, naming the primary region and, once pinged, its leader.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Throwable e = failure(secondaryFollower.apply(KvCommand.put("a", "1")));
                assertThat(e).isInstanceOf(NotPrimaryException.class);
                NotPrimaryException np = (NotPrimaryException) e;
                assertThat(np.primaryRegion()).isEqualTo("r0");
                assertThat(np.primaryLeaderNode()).isEqualTo(c.awaitLeader("r0").nodeId());
                assertThat(np.primaryLeaderEndpoint()).isNotEmpty();
                assertThat(np.getMessage()).contains("led by " + np.primaryLeaderNode());
            });

            // Per call: forwarded and acknowledged with the primary's position.
            Position p = secondaryFollower.apply(KvCommand.put("from-r1-follower", "yes"),
                    WriteOptions.defaults().forward(true)).get(10, TimeUnit.SECONDS);
            assertThat(p.epoch()).isEqualTo(1);
            assertThat(primary.read(() -> c.kv(primary.nodeId()).getString("from-r1-follower")).get(10, TimeUnit.SECONDS))
                    .isEqualTo("yes");
            Replicator primaryFollower = c.follower("r0");
            Position q = primaryFollower.apply(KvCommand.put("from-r0-follower", "yes"),
                    WriteOptions.defaults().forward(true)).get(10, TimeUnit.SECONDS);
            assertThat(q.index()).isGreaterThan(p.index());

            // With a session: a forwarded retry gets the original position back.
            WriteOptions once = WriteOptions.defaults().forward(true).idempotencyKey("fwd-1");
            Position first = secondaryFollower.apply(KvCommand.put("k", "1"), once).get(10, TimeUnit.SECONDS);
            Position retry = secondaryFollower.apply(KvCommand.put("k", "1"), once).get(10, TimeUnit.SECONDS);
            assertThat(retry).isEqualTo(first);

            // A linearizable read forwarded for a read index sees the forwarded write on the secondary follower.
            String read = secondaryFollower.read(ReadLevel.linearizable().forward(true),
                    () -> c.kv(secondaryFollower.nodeId()).getString("k")).get(10, TimeUnit.SECONDS);
            assertThat(read).isEqualTo("1");

            ForwardingStats stats = secondaryFollower.forwardingStats();
            assertThat(stats.forwarded()).isGreaterThanOrEqualTo(4);
            assertThat(stats.succeeded()).isGreaterThanOrEqualTo(4);
            assertThat(stats.latencyCount()).isGreaterThanOrEqualTo(4);
            assertThat(c.awaitLeader("r0").forwardingStats().served()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void aForwardedWriteThatGetsNoAnswerHasAnUnknownOutcome() throws Exception {
        try (RegionCluster c = cluster(dir, true).startAll()) {
            String primaryLeader = c.awaitLeader("r0").nodeId();
            c.awaitLeader("r1");
            Replicator secondaryFollower = c.follower("r1");
            // The node's default forwards.
            secondaryFollower.apply(KvCommand.put("a", "1")).get(10, TimeUnit.SECONDS);
            // The primary's leader dies; the secondary still believes in it for a while and gets no answer.
            for (Replicator r : c.runningIn("r0")) {
                c.stop(r.nodeId());
            }
            Throwable e = failure(secondaryFollower.apply(KvCommand.put("b", "2")));
            assertThat(e).isInstanceOf(OutcomeUnknownException.class).hasMessageContaining(primaryLeader)
                    .hasMessageContaining("outcome is unknown");
            assertThat(secondaryFollower.forwardingStats().failures().get("timeout")).isEqualTo(1);
            // Per call, forwarding can be turned off: refused at once, nothing sent.
            assertThat(failure(secondaryFollower.apply(KvCommand.put("c", "3"), WriteOptions.defaults().forward(false))))
                    .isInstanceOf(NotPrimaryException.class);
        }
    }

    @Test
    void forwardedFramesWithoutTheClusterSecretAreDropped() throws Exception {
        try (RegionCluster c = cluster(dir, false).startAll()) {
            Replicator primary = c.awaitLeader("r0");
            long dropped = primary.droppedFramesByReason().getOrDefault("BAD_MAC", 0L);
            try (io.meridian.transport.AeronTransport rogue = io.meridian.transport.AeronTransport.launch(
                    new io.meridian.transport.AeronTransport.Context()
                            .endpoint(io.meridian.support.LoopbackPorts.endpoint()).regionId("r1").nodeId("rogue")
                            .secret(io.meridian.transport.ClusterSecret.of(
                                    "not-the-cluster-secret-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8))))) {
                String target = c.topology().node(primary.nodeId()).orElseThrow().aeronEndpoint();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    rogue.send(target, 1, new io.meridian.transport.Message.ForwardRequest(1,
                            io.meridian.transport.Message.FORWARD_WRITE, "", "", 0, KvCommand.put("evil", "1")));
                    rogue.poll(env -> { }, 10);
                    assertThat(primary.droppedFramesByReason().getOrDefault("BAD_MAC", 0L)).isGreaterThan(dropped);
                });
            }
            assertThat(primary.forwardingStats().served()).isZero();
            assertThat(c.kv(primary.nodeId()).getString("evil")).isNull();
        }
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure, got success");
    }
}
