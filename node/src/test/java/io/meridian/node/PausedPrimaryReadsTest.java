package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The old primary region is frozen whole (SIGSTOP on every one of its processes), the other region is
 * promoted with allowDataLoss and acknowledges newer values for the same keys, then the old region
 * is resumed. From that moment until it has rejoined as a secondary, no node of the old region may
 * serve a linearizable read older than what the new primary acknowledged before the read began, and
 * its {@code /health} must not say 200 unless the node is already a SECONDARY. Finally every node
 * converges on the new primary's state.
 */
@Timeout(240)
class PausedPrimaryReadsTest {

    private static final int KEYS = 8;

    @TempDir
    Path dir;

    private ProcessCluster cluster;

    @AfterEach
    void teardown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void resumedOldPrimaryServesNoStaleReadAndStaysUnhealthyUntilItRejoins() throws Exception {
        long t0 = System.nanoTime();
        cluster = ProcessCluster.up(dir.resolve("run"), 3, 1500, y -> y);
        AdminClient http = cluster.client(Duration.ofSeconds(5));
        String oldLeader = ProcessCluster.awaitNode("r0's leader with its lease", () -> cluster.leaderOf("r0"));
        for (int k = 0; k < KEYS; k++) {
            cluster.putUntilOk(http, oldLeader, "k" + k, "old-" + k);
        }

        for (String id : cluster.region("r0")) {
            cluster.signal(id, "STOP");
        }
        long stoppedAt = System.nanoTime();
        String newLeader = ProcessCluster.awaitNode("r1's leader", () -> cluster.leaderOf("r1"));
        AdminClient.Reply promoted = cluster.client(Duration.ofSeconds(40))
                .send("POST", cluster.admin(newLeader), "/admin/promote?allowDataLoss=true", null);
        assertThat(promoted.status()).as("promote: %s", promoted.text()).isEqualTo(200);
        assertThat(promoted.json().path("epoch").asLong()).isEqualTo(2);
        System.out.printf("promoted r1 (%s) %d ms after SIGSTOP of r0: %s%n", newLeader,
                (System.nanoTime() - stoppedAt) / 1_000_000, promoted.text());

        // One writer keeps acknowledging ever newer versions on the new primary: acked[k] is the newest
        // version acknowledged so far, raised only after the 200 arrived, so a reader that samples it
        // before sending knows a version the new primary had acknowledged before the read was invoked.
        AtomicIntegerArray acked = new AtomicIntegerArray(KEYS);
        for (int k = 0; k < KEYS; k++) {
            acked.set(k, -1);
        }
        AtomicBoolean stop = new AtomicBoolean();
        Writer writer = new Writer(http, cluster.admin(newLeader), acked, stop);
        writer.writeAll(); // every key has a new-primary value before the old region resumes
        Thread writerThread = new Thread(writer, "new-primary-writer");
        writerThread.start();

        for (String id : cluster.region("r0")) {
            cluster.signal(id, "CONT");
        }
        long resumedAt = System.nanoTime();
        System.out.printf("r0 resumed after %d ms stopped%n", (resumedAt - stoppedAt) / 1_000_000);

        Checks checks = new Checks();
        List<Thread> probes = new ArrayList<>();
        AdminClient probeHttp = cluster.client(Duration.ofSeconds(3));
        for (String id : cluster.region("r0")) {
            probes.add(new Thread(() -> readLoop(probeHttp, id, acked, stop, checks), "reads-" + id));
            probes.add(new Thread(() -> healthLoop(probeHttp, id, stop, checks), "health-" + id));
        }
        // The same reads against the new primary's leader: they must succeed, or the check proves nothing.
        probes.add(new Thread(() -> readLoop(probeHttp, newLeader, acked, stop, checks), "reads-" + newLeader));
        probes.forEach(Thread::start);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                    cluster.region("r0").stream().allMatch(id -> {
                        JsonNode s = cluster.status(id);
                        return "SECONDARY".equals(s.path("region_role").asText()) && s.path("epoch").asLong() == 2;
                    }));
            long rejoinedAt = System.nanoTime();
            System.out.printf("r0 rejoined as secondary %d ms after resume%n", (rejoinedAt - resumedAt) / 1_000_000);
            // Keep probing a little after the rejoin: a rejoined node must not flip back.
            Thread.sleep(2_000);
        } finally {
            stop.set(true);
            for (Thread t : probes) {
                t.join(10_000);
            }
            writerThread.join(10_000);
        }

        List<String> all = cluster.dataNodes();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(new HashSet<>(cluster.digests(all).values())).as("%s", cluster.digests(all)).hasSize(1));
        for (int k = 0; k < KEYS; k++) {
            AdminClient.Reply r = http.get(cluster.admin(newLeader), "/kv/k" + k + "?consistency=linearizable");
            assertThat(version(k, r.json().path("value").asText())).as("final k%d: %s", k, r.text())
                    .isGreaterThanOrEqualTo(acked.get(k));
        }

        System.out.printf("reads on old region: %d ok (all fresh), %d refused %s; stale: %d%n", checks.oldOk.get(),
                checks.oldRefused.get(), checks.refusals, checks.stale.size());
        System.out.printf("reads on new primary leader: %d ok, %d refused%n", checks.newOk.get(), checks.newRefused.get());
        System.out.printf("health samples on old region: %d x 503, %d x 200 SECONDARY, %d unanswered; bad: %d%n",
                checks.health503.get(), checks.health200Secondary.get(), checks.healthNoAnswer.get(), checks.badHealth.size());
        System.out.printf("writes acknowledged by the new primary: %d; test took %d ms%n", writer.acks.get(),
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(checks.stale).as("linearizable reads on the old region older than acknowledged writes").isEmpty();
        assertThat(checks.badHealth).as("/health 200 on the old region before it was a secondary").isEmpty();
        assertThat(checks.health503.get()).as("health was sampled between resume and rejoin").isPositive();
        assertThat(checks.newOk.get()).as("reads on the new primary succeed (the check can see values)").isPositive();
    }

    /** The version of a value the writer wrote, -1 for the old primary's values. */
    private static int version(int k, String value) {
        String prefix = "new-" + k + "-";
        return value.startsWith(prefix) ? Integer.parseInt(value.substring(prefix.length())) : -1;
    }

    /** What the probes saw. */
    static final class Checks {
        final AtomicLong oldOk = new AtomicLong();
        final AtomicLong oldRefused = new AtomicLong();
        final AtomicLong newOk = new AtomicLong();
        final AtomicLong newRefused = new AtomicLong();
        final AtomicLong health503 = new AtomicLong();
        final AtomicLong health200Secondary = new AtomicLong();
        final AtomicLong healthNoAnswer = new AtomicLong();
        final Set<String> refusals = ConcurrentHashMap.newKeySet();
        final List<String> stale = new CopyOnWriteArrayList<>();
        final List<String> badHealth = new CopyOnWriteArrayList<>();
    }

    private void readLoop(AdminClient http, String id, AtomicIntegerArray acked, AtomicBoolean stop, Checks checks) {
        boolean oldRegion = id.startsWith("r0-");
        int k = 0;
        while (!stop.get()) {
            k = (k + 1) % KEYS;
            int ackedBefore = acked.get(k);
            long invokedAt = System.nanoTime();
            AdminClient.Reply r;
            try {
                r = http.get(cluster.admin(id), "/kv/k" + k + "?consistency=linearizable");
            } catch (IOException e) {
                (oldRegion ? checks.oldRefused : checks.newRefused).incrementAndGet();
                checks.refusals.add(oldRegion ? "no answer" : "new: no answer");
                continue;
            }
            if (r.status() != 200) {
                (oldRegion ? checks.oldRefused : checks.newRefused).incrementAndGet();
                checks.refusals.add((oldRegion ? "" : "new: ") + r.status() + " " + r.json().path("error").asText());
                continue;
            }
            (oldRegion ? checks.oldOk : checks.newOk).incrementAndGet();
            String value = r.json().path("value").asText();
            if (version(k, value) < ackedBefore) {
                checks.stale.add(String.format("%s read k%d = %s at +%d ms; version %d was acknowledged before: %s", id, k,
                        value, (invokedAt / 1_000_000) % 100_000, ackedBefore, r.text()));
            }
        }
    }

    private void healthLoop(AdminClient http, String id, AtomicBoolean stop, Checks checks) {
        while (!stop.get()) {
            try {
                AdminClient.Reply r = http.get(cluster.admin(id), "/health");
                if (r.status() == 503) {
                    checks.health503.incrementAndGet();
                } else if (r.status() == 200 && "SECONDARY".equals(r.json().path("region_role").asText())) {
                    checks.health200Secondary.incrementAndGet();
                } else {
                    checks.badHealth.add(id + ": " + r.status() + " " + r.text());
                }
                Thread.sleep(20);
            } catch (IOException e) {
                checks.healthNoAnswer.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Writes {@code new-<k>-<version>} with increasing versions, round robin over the keys. */
    private static final class Writer implements Runnable {
        private final AdminClient http;
        private final String leaderAdmin;
        private final AtomicIntegerArray acked;
        private final AtomicBoolean stop;
        final AtomicInteger acks = new AtomicInteger();
        private int version;

        Writer(AdminClient http, String leaderAdmin, AtomicIntegerArray acked, AtomicBoolean stop) {
            this.http = http;
            this.leaderAdmin = leaderAdmin;
            this.acked = acked;
            this.stop = stop;
        }

        void writeAll() throws Exception {
            for (int k = 0; k < KEYS; k++) {
                while (!write(k)) {
                    Thread.sleep(100);
                }
            }
        }

        /** True once acknowledged; a refusal (e.g. no lease yet right after the promotion) is retried. */
        boolean write(int k) throws IOException {
            int v = ++version;
            AdminClient.Reply r = http.send("PUT", leaderAdmin, "/kv/k" + k,
                    ("new-" + k + "-" + v).getBytes(StandardCharsets.UTF_8));
            if (r.status() != 200) {
                return false;
            }
            acked.accumulateAndGet(k, v, Math::max);
            acks.incrementAndGet();
            return true;
        }

        @Override
        public void run() {
            int k = 0;
            while (!stop.get()) {
                try {
                    write(k);
                    k = (k + 1) % KEYS;
                    Thread.sleep(10);
                } catch (IOException e) {
                    // an unanswered write has an unknown outcome: acked is not raised, so reads stay checked correctly
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
