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

/** Issue 15, item 3: each read level where it runs and what it refuses, on two real regions. */
@Timeout(180)
class ReadLevelsTest {

    @TempDir
    Path dir;

    @Test
    void eachLevelServesWhatItPromisesAndRefusesTheRest() throws Exception {
        try (RegionCluster c = new RegionCluster(dir, RegionCluster.topology(2, 3), ctx -> ctx
                .applyTimeout(Duration.ofSeconds(2))
                .crossRegion(new CrossRegionSettings().ackTimeout(Duration.ofMillis(500))
                        .handshakeTimeout(Duration.ofMillis(300)))).startAll()) {
            Replicator primary = c.awaitLeader("r0");
            c.awaitLeader("r1");
            Replicator secondary = c.follower("r1");
            Position written = primary.apply(KvCommand.put("k", "v1")).get(10, TimeUnit.SECONDS);

            // linearizable: the primary's leader serves it; a secondary refuses without forwarding.
            assertThat(primary.read(ReadLevel.linearizable(), () -> c.kv(primary.nodeId()).getString("k"))
                    .get(10, TimeUnit.SECONDS)).isEqualTo("v1");
            assertThat(failure(secondary.read(ReadLevel.linearizable(), () -> "never")))
                    .isInstanceOf(NotPrimaryException.class);

            // session: waits until the client's position is applied on the secondary, then reads there.
            assertThat(secondary.read(ReadLevel.session(written), () -> c.kv(secondary.nodeId()).getString("k"))
                    .get(10, TimeUnit.SECONDS)).isEqualTo("v1");
            assertThat(failure(secondary.read(ReadLevel.session(new Position(1, written.index() + 1_000)), () -> "never")))
                    .isInstanceOf(MeridianTimeoutException.class);

            // bounded: a secondary in contact with the primary serves; local: always serves.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(secondary.read(
                    ReadLevel.bounded(Duration.ofSeconds(5)), () -> "ok").get(5, TimeUnit.SECONDS)).isEqualTo("ok"));
            assertThat(secondary.read(ReadLevel.local(), () -> "ok").get(1, TimeUnit.SECONDS)).isEqualTo("ok");

            // The primary region goes away: bounded reads fail fast once the silence exceeds maxLag,
            // still pass with a looser bound; local reads still serve.
            for (Replicator r : c.runningIn("r0")) {
                c.stop(r.nodeId());
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Throwable e = failure(secondary.read(ReadLevel.bounded(Duration.ofMillis(800)), () -> "stale"));
                assertThat(e).isInstanceOf(LagExceededException.class);
                assertThat(((LagExceededException) e).lagMillis()).isGreaterThan(800);
            });
            assertThat(secondary.read(ReadLevel.bounded(Duration.ofHours(1)), () -> "ok").get(1, TimeUnit.SECONDS))
                    .isEqualTo("ok");
            assertThat(secondary.read(ReadLevel.local(), () -> c.kv(secondary.nodeId()).getString("k"))
                    .get(1, TimeUnit.SECONDS)).isEqualTo("v1");
        }
    }

    @Test
    void stalenessBoundIsConservative() {
        // Primary region: 0 while the lease is vouched for, unknown otherwise.
        assertThat(StalenessBound.lagMillis(new StalenessBound.Observation(true, true, true, 9_000, 9_000))).isZero();
        assertThat(StalenessBound.lagMillis(new StalenessBound.Observation(true, false, false, 0, 0)))
                .isEqualTo(Long.MAX_VALUE);
        // Secondary: the silence since the primary's last contact, or the age of the last applied entry
        // when entries known here are still to apply, whichever is older.
        assertThat(StalenessBound.lagMillis(new StalenessBound.Observation(false, false, false, 5_000, 300))).isEqualTo(300);
        assertThat(StalenessBound.lagMillis(new StalenessBound.Observation(false, false, true, 5_000, 300))).isEqualTo(5_000);
        assertThat(StalenessBound.lagMillis(new StalenessBound.Observation(false, false, false, 0, Long.MAX_VALUE)))
                .isEqualTo(Long.MAX_VALUE);
        StalenessBound.check(new StalenessBound.Observation(false, false, false, 0, 300), 300, "r1");
        assertThatThrownBy(() -> StalenessBound.check(new StalenessBound.Observation(false, false, false, 0, 301), 300, "r1"))
                .isInstanceOf(LagExceededException.class).hasMessageContaining("301 ms");
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
