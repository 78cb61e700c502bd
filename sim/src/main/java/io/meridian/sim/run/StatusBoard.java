package io.meridian.sim.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@code /status} of every node process, polled every 100 ms on one thread so that the
 * workload's leader lookups (every 20 ms) cost no HTTP round trip. A status older than
 * {@link #FRESH} counts as missing: a paused or killed node stops answering, and the workload must
 * stop believing what it said before.
 */
final class StatusBoard implements AutoCloseable {

    // Generous: on two cores shared by seven node JVMs and the builds of others, a healthy node can
    // take a second or two to answer; a killed or paused node is dropped at once (forget) anyway.
    static final Duration FRESH = Duration.ofMillis(3000);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(2500);

    private record Entry(JsonNode status, long atNanos) { }

    private final Map<String, String> admins;
    private final NodeHttp http;
    private final Map<String, Entry> latest = new ConcurrentHashMap<>();
    /** Nodes with a poll outstanding: a node that does not answer gets one request at a time. */
    private final Set<String> polling = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean stopped;

    StatusBoard(Map<String, String> admins, NodeHttp http) {
        this.admins = Map.copyOf(admins);
        this.http = http;
        this.thread = new Thread(this::loop, "sim-status-board");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        while (!stopped) {
            admins.forEach((id, admin) -> {
                if (polling.add(id)) {
                    http.send("GET", admin, "/status", null, POLL_TIMEOUT).whenComplete((reply, error) -> {
                        polling.remove(id);
                        if (error == null && reply.ok()) {
                            latest.put(id, new Entry(reply.body(), System.nanoTime()));
                        }
                    });
                }
            });
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The node's latest status if fresh, else a MissingNode (every path of which is missing too). */
    JsonNode status(String nodeId) {
        Entry e = latest.get(nodeId);
        if (e == null || System.nanoTime() - e.atNanos() > FRESH.toNanos()) {
            return MissingNode.getInstance();
        }
        return e.status();
    }

    /** Forgets what a node said, e.g. when it is killed or paused, so that nobody acts on it any more. */
    void forget(String nodeId) {
        latest.remove(nodeId);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
