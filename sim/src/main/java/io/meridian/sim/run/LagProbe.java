package io.meridian.sim.run;

import org.HdrHistogram.Histogram;

import java.util.HashMap;
import java.util.Map;

/**
 * Samples, every 2 ms, how far each secondary region's leader has applied, and records for every
 * acknowledged write it newly applied the time from its acknowledgement at the primary to now
 * (ms). The sweep scenario reads one histogram per load step. Resolution is the 1 ms of the ack
 * times plus the 2 ms poll; writes the sampler already forgot (all regions applied them before
 * this probe looked) are not counted.
 */
public final class LagProbe implements AutoCloseable {

    private static final long POLL_MS = 2;

    private final Cluster cluster;
    private final Workload workload;
    private final RunClock clock;
    private final Thread thread;
    private final Map<String, Long> seen = new HashMap<>();
    private Histogram current = new Histogram(3_600_000L, 3);
    private volatile boolean running = true;

    public LagProbe(Cluster cluster, Workload workload, RunClock clock) {
        this.cluster = cluster;
        this.workload = workload;
        this.clock = clock;
        this.thread = new Thread(this::run, "sim-lag-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /** The lag recorded since the previous call (ms), and a fresh histogram from now on. */
    public synchronized Histogram takeInterval() {
        Histogram h = current;
        current = new Histogram(3_600_000L, 3);
        return h;
    }

    private void run() {
        while (running) {
            try {
                poll();
            } catch (RuntimeException e) {
                // a node closing under our feet: the next poll tries again
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void poll() {
        String primary = cluster.primaryRegion();
        long now = clock.elapsedMs();
        for (String region : cluster.regions()) {
            if (region.equals(primary)) {
                continue;
            }
            SimNode leader = cluster.leaderOf(region);
            if (leader == null) {
                continue;
            }
            long applied = leader.appliedIndex();
            long before = seen.getOrDefault(region, applied);
            seen.put(region, Math.max(before, applied));
            synchronized (this) {
                for (long ackMs : workload.ackTimesBetween(before, applied)) {
                    current.recordValue(Math.max(0, Math.min(3_600_000L, now - ackMs)));
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
