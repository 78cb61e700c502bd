package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Write load as clients produce it: a few threads each PUT a new key (never retried under the same
 * name, so an outcome-unknown write cannot be confused with a later one) to the node they believe is
 * the primary's leader, and look for it again after any refusal. Every acknowledged write is kept
 * with its position for the checks.
 */
final class LabWriters implements AutoCloseable {

    /** An acknowledged write: {@code key} was set to {@code key} at {@code (epoch, index)}. */
    record Ack(String key, long epoch, long index) { }

    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final NetnsCluster cluster;
    private final AdminClient http;
    private final Queue<Ack> acked = new ConcurrentLinkedQueue<>();
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile String primaryLeader;
    private volatile boolean running = true;

    LabWriters(NetnsCluster cluster, int writers, String tag) throws IOException {
        this.cluster = cluster;
        this.http = cluster.client(Duration.ofSeconds(15));
        for (int t = 0; t < writers; t++) {
            String prefix = tag + "-w" + t + "-";
            Thread thread = new Thread(() -> run(prefix), "writer-" + prefix);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void run(String prefix) {
        long seq = 0;
        while (running) {
            String leader = primaryLeader;
            if (leader == null) {
                rediscover();
                continue;
            }
            String key = prefix + seq++;
            try {
                AdminClient.Reply r = http.send("PUT", cluster.admin(leader), "/kv/" + key, key.getBytes(StandardCharsets.UTF_8));
                if (r.status() == 200) {
                    acked.add(new Ack(key, r.json().path("epoch").asLong(), r.json().path("index").asLong()));
                    // Paced (~40 writes/s per writer): steady load that two cores can carry next to seven
                    // nodes, and few enough acknowledged writes to read every one back.
                    LockSupport.parkNanos(PACE_NANOS);
                    continue;
                }
                if (r.status() == 504) {
                    unknown.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                }
            } catch (IOException e) {
                // The request may have arrived: not acknowledged, so it is not checked either way.
                unknown.incrementAndGet();
            }
            rediscover();
        }
    }

    /** Finds the primary's leader holding its lease, at most every 100 ms whatever the number of writers. */
    private synchronized void rediscover() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        primaryLeader = findPrimaryLeader(cluster).orElse(null);
    }

    static Optional<String> findPrimaryLeader(NetnsCluster cluster) {
        for (String id : cluster.dataNodes()) {
            JsonNode s = cluster.status(id);
            if ("LEADER".equals(s.path("role").asText()) && "PRIMARY".equals(s.path("region_role").asText())
                    && s.path("lease_held").asBoolean()) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    int ackedCount() {
        return acked.size();
    }

    long ackedInEpochAbove(long epoch) {
        return acked.stream().filter(a -> a.epoch() > epoch).count();
    }

    List<Ack> acked() {
        return List.copyOf(acked);
    }

    long unknown() {
        return unknown.get();
    }

    long refused() {
        return refused.get();
    }

    /** Stops the writers and waits for their last request. */
    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
