package io.meridian;

import io.meridian.kv.KvCommand;
import io.meridian.kv.KvStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The API's refusals: writes to a follower, bad payloads, bad configuration and topology text,
 * and calls on a closed node. Each refusal must name what is wrong.
 */
@Timeout(120)
class ApiValidationTest {

    private static final String TWO_NODES = "r0=a@127.0.0.1:7001,b@127.0.0.1:7002";

    @TempDir
    Path dir;

    @Test
    void followerRefusesWriteNamingTheLeaderAndDoesNotForwardIt() throws Exception {
        try (RegionCluster cluster = RegionCluster.single(dir, 3).startAll()) {
            Replicator leader = cluster.awaitLeader("r0");
            Replicator follower = cluster.follower("r0");
            // the follower may learn who leads a little after the leader itself does
            assertThat(follower.awaitLeader(Duration.ofSeconds(10))).isEqualTo(leader.nodeId());

            CompletableFuture<Position> refused = follower.apply(KvCommand.put("refused", "x"));

            assertThat(refused).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(NotLeaderException.class, e -> {
                        assertThat(e.leaderNode()).isEqualTo(leader.nodeId());
                        assertThat(e.leaderEndpoint())
                                .isEqualTo(cluster.topology().node(leader.nodeId()).orElseThrow().raftEndpoint());
                        assertThat(e.isRetriable()).isTrue();
                        assertThat(e.getMessage()).contains(follower.nodeId(), leader.nodeId());
                    });

            // a later write that every node applies proves the refused one was not forwarded either
            Position after = leader.apply(KvCommand.put("after", "y")).get();
            SingleRegionTest.awaitAllApplied(cluster, after.index());
            for (Replicator r : cluster.running()) {
                KvStateMachine kv = cluster.kv(r.nodeId());
                assertThat(kv.getString("after")).isEqualTo("y");
                assertThat(kv.getString("refused")).as("refused write on %s", r.nodeId()).isNull();
            }
            assertThat(after.index()).isEqualTo(1);
        }
    }

    @Test
    void nullAndOversizedPayloadsAreRejectedWithAClearMessage() throws Exception {
        int max = 1024;
        try (RegionCluster cluster = new RegionCluster(dir, RegionCluster.topology(1, 3), c -> c.maxPayloadBytes(max))
                .startAll()) {
            Replicator leader = cluster.awaitLeader("r0");

            assertThatThrownBy(() -> leader.apply(null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload must not be null");
            assertThatThrownBy(() -> leader.apply(new byte[max + 1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxPayloadBytes")
                    .hasMessageContaining(String.valueOf(max + 1))
                    .hasMessageContaining(String.valueOf(max));

            // exactly the limit is accepted: op(1) + keyLength(2) + key(1) + value
            byte[] value = new byte[max - 4];
            Arrays.fill(value, (byte) 'v');
            byte[] atLimit = KvCommand.put("k", value);
            assertThat(atLimit).hasSize(max);
            Position p = leader.apply(atLimit).get();
            assertThat(p.index()).isEqualTo(1);
            assertThat(cluster.kv(leader.nodeId()).get("k")).isEqualTo(value);
        }
    }

    @Test
    void membershipCallsRejectUnknownNodesAndMalformedEndpoints() {
        try (RegionCluster cluster = RegionCluster.single(dir, 3).startAll()) {
            Replicator leader = cluster.awaitLeader("r0");

            assertThatThrownBy(() -> leader.transferLeadership("nobody"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nobody");
            assertThatThrownBy(() -> leader.addPeer("nohostport"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nohostport' is not host:port");
            assertThatThrownBy(() -> leader.removePeer("127.0.0.1:70000"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port out of range");
            assertThat(leader.isLeader()).isTrue();
        }
    }

    @Test
    void callsOnAClosedNodeFailWithReplicatorClosedException() throws Exception {
        try (RegionCluster cluster = RegionCluster.single(dir, 1).startAll()) {
            Replicator node = cluster.awaitLeader("r0");
            Position first = node.apply(KvCommand.put("k", "v")).get();
            CompletableFuture<Void> pending = node.awaitApplied(new Position(first.epoch(), first.index() + 1_000),
                    Duration.ofSeconds(60));

            node.close();

            assertThat(pending).as("awaitApplied pending at close")
                    .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ReplicatorClosedException.class);
            // apply reports the refusal through its future rather than throwing
            assertThat(node.apply(KvCommand.put("k", "w"))).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(ReplicatorClosedException.class)
                    .satisfies(e -> assertThat(((MeridianException) e).isRetriable()).isFalse());
            assertThat(node.read(() -> "unreachable")).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ReplicatorClosedException.class);
            // argument checks still come first
            assertThatThrownBy(() -> node.apply(null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void contextConcludeNamesTheMissingOrInvalidField() {
        ClusterTopology topology = ClusterTopology.parse(TWO_NODES);

        assertConcludeFails(new ReplicatorContext().topology(topology).dataDir(dir).stateMachine(new KvStateMachine()),
                "nodeId is required");
        assertConcludeFails(new ReplicatorContext().nodeId("a").dataDir(dir).stateMachine(new KvStateMachine()),
                "topology is required");
        assertConcludeFails(valid(topology).nodeId("zz"), "nodeId 'zz' is not in the topology");
        assertConcludeFails(valid(topology).dataDir(null), "dataDir is required");
        assertConcludeFails(valid(topology).stateMachine(null), "stateMachine is required");
        assertConcludeFails(valid(topology).maxPayloadBytes(0), "maxPayloadBytes");
        assertConcludeFails(valid(topology).electionTimeout(Duration.ZERO), "electionTimeout");
        assertConcludeFails(valid(topology).applyTimeout(Duration.ofSeconds(-1)), "applyTimeout");
        assertConcludeFails(valid(topology).snapshotInterval(null), "snapshotInterval");
        assertConcludeFails(valid(topology).snapshotLogIndexMargin(-1), "snapshotLogIndexMargin");

        ClusterTopology twoRegions = ClusterTopology.parse(
                "eu=a@127.0.0.1:7001/127.0.0.1:8001;us=b@127.0.0.1:7002/127.0.0.1:8002");
        assertConcludeFails(valid(twoRegions), "clusterSecret");

        ReplicatorContext ok = valid(topology).conclude();
        assertThat(ok.region()).isEqualTo("r0");
        assertThatThrownBy(ok::conclude).isInstanceOf(IllegalStateException.class).hasMessageContaining("already concluded");
    }

    @Test
    void topologyTextErrorsNameTheOffendingValue() {
        assertParseFails("", "topology: empty");
        assertParseFails("eu", "'eu' is not region=");
        assertParseFails("eu=eu-1", "node 'eu-1' is not id@raft");
        assertParseFails("eu=eu-1@nohostport", "node eu-1 raft endpoint: 'nohostport' is not host:port");
        assertParseFails("eu=eu-1@127.0.0.1:70000", "node eu-1 raft endpoint: '127.0.0.1:70000' port out of range");
        assertParseFails("eu=eu-1@127.0.0.1:0", "port out of range");
        assertParseFails("eu=eu-1@127.0.0.1:http", "non-numeric port");
        assertParseFails("eu=eu-1@bad_host:7001", "invalid host 'bad_host'");
        assertParseFails("eu=eu-1@127.0.0.1:7001/:8001", "node eu-1 aeron endpoint");
        assertParseFails("eu=eu-1@127.0.0.1:7001,eu-2@127.0.0.1:7001", "endpoint 127.0.0.1:7001 used twice (node eu-2)");
        assertParseFails("eu=eu-1@127.0.0.1:7001,eu-1@127.0.0.1:7002", "node id 'eu-1' used twice");
        assertParseFails("eu=a@127.0.0.1:7001;eu=b@127.0.0.1:7002", "region 'eu' listed twice");
        assertParseFails("eu=a@127.0.0.1:7001/127.0.0.1:8001;us=b@127.0.0.1:7002", "node b needs an Aeron endpoint");
        assertParseFails("e u=a@127.0.0.1:7001", "region name");
        assertParseFails("eu=a b@127.0.0.1:7001", "node id must be");
    }

    @Test
    void topologyBuilderErrorsNameTheOffendingValue() {
        assertThatThrownBy(() -> ClusterTopology.builder().node("a", "127.0.0.1:7001"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 'a' given before any region");
        assertThatThrownBy(() -> ClusterTopology.builder().region("eu").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region 'eu' has no nodes");
        assertThatThrownBy(() -> ClusterTopology.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no regions");
        assertThatThrownBy(() -> ClusterTopology.builder().region("eu").node("a", "127.0.0.1:7001").primary("us").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("primary region 'us'");
        assertThatThrownBy(() -> ClusterTopology.builder().region("eu").node("a", "127.0.0.1:65536"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'127.0.0.1:65536' port out of range");
        assertThatThrownBy(() -> ClusterTopology.builder().witness("nohostport"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("witness endpoint");
    }

    @Test
    void topologyTextRoundTripsAndPicksTheFirstRegionAsPrimary() {
        String text = "eu=eu-1@127.0.0.1:7001/127.0.0.1:8001,eu-2@127.0.0.1:7002/127.0.0.1:8002;"
                + "us=us-1@127.0.0.1:7003/127.0.0.1:8003";
        ClusterTopology topology = ClusterTopology.parse(text);

        assertThat(topology.toString()).isEqualTo(text);
        assertThat(ClusterTopology.parse(topology.toString()).toString()).isEqualTo(text);
        assertThat(topology.initialPrimary()).isEqualTo("eu");
        assertThat(topology.regionNames()).containsExactly("eu", "us");
        assertThat(topology.nodeByRaftEndpoint("127.0.0.1:7002").orElseThrow().nodeId()).isEqualTo("eu-2");
        assertThatThrownBy(() -> topology.nodes("ap")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown region 'ap'");
    }

    private ReplicatorContext valid(ClusterTopology topology) {
        return new ReplicatorContext().nodeId(topology.allNodes().get(0).nodeId()).topology(topology)
                .dataDir(dir).stateMachine(new KvStateMachine());
    }

    private static void assertConcludeFails(ReplicatorContext ctx, String message) {
        assertThatThrownBy(ctx::conclude).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    private static void assertParseFails(String text, String message) {
        assertThatThrownBy(() -> ClusterTopology.parse(text)).as("parse(%s)", text)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
