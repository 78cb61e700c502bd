package io.meridian.node;

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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several clients write unique keys to the primary region's Raft leader while its process is frozen
 * (SIGSTOP, then SIGCONT), and later while the next leader is killed (SIGKILL). Every HTTP answer is
 * recorded; once every node has converged, a write answered {@code "outcome": "not_applied"} must be
 * absent and a write answered 2xx present, with its value. "unknown" answers and writes that got no
 * answer at all (the frozen process never replied) may go either way.
 */
@Timeout(240)
class PausedLeaderWritesTest {

    private static final int CLIENTS = 4;
    /** The HTTP status and the {@code error} code of a recorded answer. */
    private static final java.util.regex.Pattern ERROR_CODE = java.util.regex.Pattern.compile("^(\\d+) .*\"error\":\"(\\w+)\"");

    @TempDir
    Path dir;

    private ProcessCluster cluster;

    @AfterEach
    void teardown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What one write's answer said. */
    enum Answer { OK, NOT_APPLIED, UNKNOWN, NO_ANSWER, OTHER }

    @Test
    void notAppliedWritesAreAbsentAndAcknowledgedOnesPresentAfterPauseAndKill() throws Exception {
        long t0 = System.nanoTime();
        cluster = ProcessCluster.up(dir.resolve("run"), 3, 1500, y -> y);
        Map<String, Answer> answers = new ConcurrentHashMap<>();
        Map<String, String> texts = new ConcurrentHashMap<>();

        String paused = ProcessCluster.awaitNode("r0's leader", () -> cluster.leaderOf("r0"));
        try (Clients clients = new Clients(paused, "p", answers, texts)) {
            Thread.sleep(1_500);
            cluster.signal(paused, "STOP");
            // 15 s: longer than an election, the lease and the Aeron client's service interval (10 s), so
            // the resumed node must rebuild its transport and rejoin its region on its own.
            Thread.sleep(15_000);
            cluster.signal(paused, "CONT");
            Thread.sleep(2_000); // the resumed ex-leader answers what queued up, then refuses
        }
        System.out.printf("round 1 (SIGSTOP %s for 15 s): %s%n", paused, counts(answers, "p"));

        String killed = ProcessCluster.awaitNode("r0's next leader", () -> cluster.leaderOf("r0"));
        try (Clients clients = new Clients(killed, "k", answers, texts)) {
            Thread.sleep(1_500);
            cluster.kill(killed);
            Thread.sleep(1_500);
        }
        System.out.printf("round 2 (SIGKILL %s): %s%n", killed, counts(answers, "k"));

        List<String> live = new ArrayList<>(cluster.dataNodes());
        live.remove(killed);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(new HashSet<>(cluster.digests(live).values())).as("%s", cluster.digests(live)).hasSize(1));
        String leader = ProcessCluster.awaitNode("r0's leader after both faults", () -> cluster.leaderOf("r0"));
        // A long pause must not turn into a log flood (an error logged in a tight loop once was 1.8 GB/min).
        for (String id : cluster.dataNodes()) {
            java.nio.file.Path log = dir.resolve("run").resolve(id + ".log");
            long bytes = java.nio.file.Files.exists(log) ? java.nio.file.Files.size(log) : 0;
            System.out.printf("log of %s: %d bytes%n", id, bytes);
            assertThat(bytes).as("log of %s", id).isLessThan(5L * 1024 * 1024);
        }

        AdminClient http = cluster.client(Duration.ofSeconds(10));
        List<String> violations = new ArrayList<>();
        Map<Answer, Integer> presentBy = new TreeMap<>();
        for (Map.Entry<String, Answer> w : new TreeMap<>(answers).entrySet()) {
            AdminClient.Reply r = http.get(cluster.admin(leader), "/kv/" + w.getKey() + "?consistency=linearizable");
            assertThat(r.status()).as("read %s on %s: %s", w.getKey(), leader, r.text()).isIn(200, 404);
            boolean present = r.status() == 200;
            if (present) {
                presentBy.merge(w.getValue(), 1, Integer::sum);
            }
            if (w.getValue() == Answer.NOT_APPLIED && present) {
                violations.add(w.getKey() + " answered " + texts.get(w.getKey()) + " but is present");
            }
            if (w.getValue() == Answer.OK && !(present && r.json().path("value").asText().equals("v-" + w.getKey()))) {
                violations.add(w.getKey() + " acknowledged " + texts.get(w.getKey()) + " but reads " + r.text());
            }
        }
        Map<String, Integer> refusals = new TreeMap<>();
        answers.forEach((k, a) -> {
            java.util.regex.Matcher m = ERROR_CODE.matcher(texts.get(k));
            if (a != Answer.OK) {
                refusals.merge(a + " " + (m.find() ? m.group(1) + " " + m.group(2) : texts.get(k).replaceAll(":.*", "")),
                        1, Integer::sum);
            }
        });
        System.out.printf("answers other than 2xx: %s%n", refusals);
        System.out.printf("all writes: %s; present after convergence by answer: %s; violations: %d; test took %d ms%n",
                counts(answers, ""), presentBy, violations.size(), (System.nanoTime() - t0) / 1_000_000);
        assertThat(violations).isEmpty();
        assertThat(answers.values()).as("both kinds of answer the check is about occurred")
                .contains(Answer.OK, Answer.NOT_APPLIED);
    }

    private static Map<Answer, Integer> counts(Map<String, Answer> answers, String prefix) {
        Map<Answer, Integer> out = new TreeMap<>();
        answers.forEach((k, a) -> {
            if (k.startsWith(prefix)) {
                out.merge(a, 1, Integer::sum);
            }
        });
        return out;
    }

    /** {@link #CLIENTS} threads writing {@code <round><client>-<n>} to one node until closed. */
    private final class Clients implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        Clients(String target, String round, Map<String, Answer> answers, Map<String, String> texts) {
            // Longer than a pause would be pointless: the answer after SIGCONT is what matters.
            AdminClient http = cluster.client(Duration.ofSeconds(8));
            String address = cluster.admin(target);
            for (int c = 0; c < CLIENTS; c++) {
                String prefix = round + c + "-";
                Thread t = new Thread(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String key = prefix + n;
                        Answer a;
                        try {
                            AdminClient.Reply r = http.send("PUT", address, "/kv/" + key,
                                    ("v-" + key).getBytes(StandardCharsets.UTF_8));
                            a = classify(r);
                            texts.put(key, r.status() + " " + r.text());
                        } catch (IOException e) {
                            a = Answer.NO_ANSWER;
                            texts.put(key, e.toString());
                        }
                        answers.put(key, a);
                        if (a != Answer.OK) {
                            sleep(50); // a refusing node answers at once: do not spin
                        }
                    }
                }, "writer-" + prefix);
                threads.add(t);
                t.start();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(15_000);
            }
        }
    }

    static Answer classify(AdminClient.Reply r) {
        if (r.status() / 100 == 2) {
            return Answer.OK;
        }
        return switch (r.json().path("outcome").asText()) {
            case "not_applied" -> Answer.NOT_APPLIED;
            case "unknown" -> Answer.UNKNOWN;
            default -> Answer.OTHER;
        };
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
