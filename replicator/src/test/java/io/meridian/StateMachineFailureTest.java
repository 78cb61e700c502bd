package io.meridian;

import io.meridian.kv.KvStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract of {@link StateMachine#apply} failures: the node whose machine threw stops applying
 * and reports why, its WAL holds nothing its state did not take, the rest of the region carries on,
 * and a restart (once the cause is gone) brings the node back to the same state.
 */
@Timeout(180)
class StateMachineFailureTest {

    @TempDir
    Path dir;

    private final Map<String, AtomicBoolean> failing = new ConcurrentHashMap<>();

    /** Delegates to the cluster's KV machine, throwing while its node's switch is on. */
    private final class Failing implements StateMachine {
        private final KvStateMachine kv;
        private final AtomicBoolean on;

        Failing(KvStateMachine kv, AtomicBoolean on) {
            this.kv = kv;
            this.on = on;
        }

        @Override
        public void apply(long index, byte[] payload) {
            if (on.get()) {
                throw new IllegalStateException("injected failure at " + index);
            }
            kv.apply(index, payload);
        }

        @Override
        public byte[] snapshot() {
            return kv.snapshot();
        }

        @Override
        public void restore(byte[] snapshot) {
            kv.restore(snapshot);
        }
    }

    @Test
    void aFollowerWhoseMachineThrowsStopsReportsAndRecoversOnRestartWhileTheRegionCarriesOn() throws Exception {
        try (RegionCluster c = new RegionCluster(dir, RegionCluster.topology(1, 3), ctx -> ctx.stateMachine(
                new Failing((KvStateMachine) ctx.stateMachine(),
                        failing.computeIfAbsent(ctx.nodeId(), k -> new AtomicBoolean())))).startAll()) {
            Writes writes = new Writes();
            writeAcknowledged(c, writes, 200);
            Replicator victim = c.follower("r0");
            String victimId = victim.nodeId();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r0", c.awaitLeader("r0").appliedPosition().index());
            long before = victim.appliedPosition().index();

            failing.get(victimId).set(true);
            writeAcknowledged(c, writes, 400); // the rest of the region keeps taking writes

            await().atMost(Duration.ofSeconds(30)).until(() -> !victim.health().isApplying());
            Health h = victim.health();
            System.out.println("victim health: " + h.stateMachineError());
            assertThat(h.stateMachineError()).contains("injected failure at " + (before + 1));
            assertThat(h.appliedIndex()).isEqualTo(before);
            assertThat(h.walLastIndex()).as("the WAL holds nothing the state did not take").isEqualTo(before);
            int lastWrite = writes.attempted() - 1;
            assertThat(c.kv(victimId).getString("w" + lastWrite)).isNull();

            failing.get(victimId).set(false);
            c.stop(victimId);
            Replicator restarted = c.start(victimId);
            long last = c.awaitLeader("r0").appliedPosition().index();
            CrossRegionReplicationTest.awaitRegionApplied(c, "r0", last);
            assertThat(restarted.health().isApplying()).isTrue();
            assertThat(c.running().stream().map(r -> c.kv(r.nodeId()).digest()).distinct().count()).isEqualTo(1);
            assertThat(c.kv(victimId).outOfOrderApplies()).isZero();
            assertThat(c.kv(victimId).getString("w" + lastWrite)).isEqualTo("v" + lastWrite);
        }
    }

    /** Writes through whichever node leads until {@code total} writes were acknowledged (elections may intervene). */
    private static void writeAcknowledged(RegionCluster c, Writes writes, int total) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        var writer = writes.writeUntil(() -> c.running().stream().filter(Replicator::isLeader).findFirst()
                .orElse(null), stop, 16);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> writes.acked().size() >= total);
        } finally {
            stop.set(true);
            writer.get();
        }
    }
}
