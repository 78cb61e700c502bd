package io.meridian;

import io.meridian.kv.KvCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Region membership on a running group: leader transfer, adding and removing a node. */
@Timeout(180)
class MembershipTest {

    @TempDir
    Path dir;

    @Test
    void transferLeadershipMakesTheNamedNodeLeader() throws Exception {
        try (RegionCluster cluster = RegionCluster.single(dir, 3).startAll()) {
            Replicator old = cluster.awaitLeader("r0");
            Position before = old.apply(KvCommand.put("k", "before")).get();
            Replicator target = cluster.follower("r0");
            // JRaft transfers only to a peer whose log has caught up; let it apply the write first
            SingleRegionTest.awaitAllApplied(cluster, before.index());

            old.transferLeadership(target.nodeId()).get();

            // The transfer completes asynchronously: the old leader may still lead for a moment.
            await().atMost(Duration.ofSeconds(30)).until(() -> target.isLeader() && !old.isLeader());
            assertThat(cluster.awaitLeader("r0").nodeId()).isEqualTo(target.nodeId());
            Position after = target.apply(KvCommand.put("k", "after")).get();
            assertThat(after.index()).isEqualTo(before.index() + 1);
            // the old leader now refuses, pointing at the new one
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                CompletableFuture<Position> refused = old.apply(KvCommand.put("k", "refused"));
                assertThat(refused).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOfSatisfying(NotLeaderException.class,
                                e -> assertThat(e.leaderNode()).isEqualTo(target.nodeId()));
            });
            SingleRegionTest.awaitAllApplied(cluster, after.index());
            SingleRegionTest.assertEqualDigests(cluster);
        }
    }

    @Test
    void addedNodeCatchesUpAndRemovingANodeShrinksTheQuorum() throws Exception {
        // The joining node lists all four nodes; the running three list only themselves, so their
        // Raft group starts as three voters and the fourth joins through addPeer.
        ClusterTopology four = RegionCluster.topology(1, 4);
        ClusterTopology.Builder b = ClusterTopology.builder().region("r0");
        four.nodes("r0").subList(0, 3).forEach(n -> b.node(n.nodeId(), n.raftEndpoint()));
        ClusterTopology three = b.build();
        ClusterTopology.NodeSpec joiner = four.nodes("r0").get(3);

        try (RegionCluster cluster = new RegionCluster(dir, three, c -> { }).startAll()) {
            Replicator leader = cluster.awaitLeader("r0");
            Writes writes = new Writes();
            writes.writeAll(leader, 500, 32);

            cluster.start(joiner.nodeId(), four);
            leader.addPeer(joiner.raftEndpoint()).get();

            assertThat(cluster.node(joiner.nodeId()).isLeader()).isFalse();
            writes.writeAll(leader, 500, 32);
            assertThat(writes.acked()).hasSize(1_000);
            long last = leader.appliedPosition().index();
            SingleRegionTest.awaitAllApplied(cluster, last);
            SingleRegionTest.assertEqualDigests(cluster);
            SingleRegionTest.assertIdenticalWals(cluster, last);
            assertThat(cluster.node(joiner.nodeId()).wal().firstIndex()).as("joiner replayed the log from the start")
                    .isEqualTo(1);

            // Remove one old follower and stop another: only {leader, joiner} remain. That is a
            // quorum of the shrunk three-node group but would not be of the four-node one, so a
            // commit now proves both the removal and the joiner's vote.
            List<Replicator> oldFollowers = cluster.running().stream()
                    .filter(r -> r != leader && !r.nodeId().equals(joiner.nodeId())).toList();
            assertThat(oldFollowers).hasSize(2);
            Replicator removed = oldFollowers.get(0);
            leader.removePeer(three.node(removed.nodeId()).orElseThrow().raftEndpoint()).get();
            cluster.stop(removed.nodeId());
            cluster.stop(oldFollowers.get(1).nodeId());

            Position p = leader.apply(KvCommand.put("after-removal", "yes")).get();

            assertThat(p.index()).isEqualTo(last + 1);
            assertThat(leader.isLeader()).isTrue();
            SingleRegionTest.awaitAllApplied(cluster, p.index());
            assertThat(cluster.kv(joiner.nodeId()).getString("after-removal")).isEqualTo("yes");
            SingleRegionTest.assertEqualDigests(cluster);
        }
    }
}
