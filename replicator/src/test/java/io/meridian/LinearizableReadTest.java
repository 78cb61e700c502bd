package io.meridian;

import io.meridian.kv.KvCommand;
import io.meridian.kv.KvStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads: {@code read} is linearizable on the leader and on followers (a write acknowledged before
 * the read starts is always seen); {@code awaitApplied} + {@code readStale} gives read-your-writes.
 */
@Timeout(120)
class LinearizableReadTest {

    private static final int ROUNDS = 200;

    @TempDir
    Path dir;

    @Test
    void readOnLeaderAndFollowerSeesEveryWriteAcknowledgedBeforeIt() throws Exception {
        try (RegionCluster cluster = RegionCluster.single(dir, 3).startAll()) {
            Replicator leader = cluster.awaitLeader("r0");
            KvStateMachine leaderKv = cluster.kv(leader.nodeId());
            // Rounds alternate between the followers; each read starts right after the ack, when a
            // follower has typically not applied the entry yet, so a plain local read could miss it.
            for (int i = 0; i < ROUNDS; i++) {
                String key = "lin-" + i;
                leader.apply(KvCommand.put(key, "v" + i)).get();
                Replicator follower = cluster.runningIn("r0").stream().filter(r -> r != leader)
                        .toList().get(i % 2);
                KvStateMachine followerKv = cluster.kv(follower.nodeId());

                assertThat(leader.read(() -> leaderKv.getString(key)).get()).as("leader read of %s", key)
                        .isEqualTo("v" + i);
                assertThat(follower.read(() -> followerKv.getString(key)).get())
                        .as("read of %s on follower %s", key, follower.nodeId()).isEqualTo("v" + i);
            }
        }
    }

    @Test
    void awaitAppliedThenReadStaleOnFollowerSeesTheWrite() throws Exception {
        try (RegionCluster cluster = RegionCluster.single(dir, 3).startAll()) {
            cluster.awaitLeader("r0");
            Replicator follower = cluster.follower("r0");
            KvStateMachine followerKv = cluster.kv(follower.nodeId());
            for (int i = 0; i < ROUNDS; i++) {
                String key = "ryw-" + i;
                // Through whichever node leads, retrying as a client does: a second election right
                // after the first (seen on a loaded CI machine) must not fail a read-your-writes test.
                Position p = cluster.applyRetrying("r0", KvCommand.put(key, "v" + i), Duration.ofSeconds(20));

                follower.awaitApplied(p, Duration.ofSeconds(10)).get();

                assertThat(follower.appliedPosition().index()).isGreaterThanOrEqualTo(p.index());
                assertThat(follower.readStale(() -> followerKv.getString(key))).as("stale read of %s after awaitApplied", key)
                        .isEqualTo("v" + i);
            }
            // an already-applied position completes at once
            assertThat(follower.awaitApplied(new Position(1, 1), Duration.ofSeconds(1))).succeedsWithin(Duration.ofSeconds(1));
        }
    }

    @Test
    void awaitAppliedOfAPositionNeverWrittenTimesOut() {
        try (RegionCluster cluster = RegionCluster.single(dir, 3).startAll()) {
            cluster.awaitLeader("r0");
            Replicator follower = cluster.follower("r0");

            assertThat(follower.awaitApplied(new Position(1, 1_000_000), Duration.ofMillis(300)))
                    .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(MeridianTimeoutException.class);
        }
    }

    @Test
    void aFailingQueryFailsTheReadWithItsException() throws Exception {
        try (RegionCluster cluster = RegionCluster.single(dir, 3).startAll()) {
            Replicator leader = cluster.awaitLeader("r0");
            leader.apply(KvCommand.put("k", "v")).get();
            IllegalStateException boom = new IllegalStateException("query failed");

            assertThat(cluster.follower("r0").read(() -> {
                throw boom;
            })).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                    .withRootCauseInstanceOf(IllegalStateException.class)
                    .withMessageContaining("query failed");
        }
    }
}
