package io.meridian.sim.run;

import io.meridian.sim.report.ProgressLine;
import io.meridian.sim.report.RunReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Once a second: samples throughput and each non-primary region's lag for the report's series and
 * prints the progress line. Lag here is "now minus the ack time of the oldest acknowledged write
 * the region has not applied", which, unlike the shipped-entry histogram, grows during a cut.
 */
final class Sampler implements AutoCloseable {

    private final Cluster cluster;
    private final Workload workload;
    private final RunClock clock;
    private final boolean print;
    private final Supplier<String> phase;
    private final List<RunReport.SeriesPoint> series = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    Sampler(Cluster cluster, Workload workload, RunClock clock, boolean print, Supplier<String> phase) {
        this.cluster = cluster;
        this.workload = workload;
        this.clock = clock;
        this.print = print;
        this.phase = phase;
        this.thread = new Thread(this::loop, "sim-sampler");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        long lastAcked = 0;
        long lastMs = clock.elapsedMs();
        long nextMs = lastMs + 1000;
        while (!stopped) {
            long wait = nextMs - clock.elapsedMs();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            nextMs += 1000;
            try {
                long now = clock.elapsedMs();
                long acked = workload.ackedCount();
                double ops = (acked - lastAcked) * 1000.0 / Math.max(1, now - lastMs);
                lastAcked = acked;
                lastMs = now;
                sample(now, acked, ops);
            } catch (RuntimeException e) {
                // a node closing under our feet (crash scenario): skip this sample
            }
        }
    }

    private void sample(long now, long acked, double ops) {
        String primary = cluster.primaryRegion();
        Map<String, Double> lag = new LinkedHashMap<>();
        Map<String, Double> p99 = new LinkedHashMap<>();
        long minApplied = Long.MAX_VALUE;
        for (String region : cluster.regions()) {
            SimNode leader = cluster.leaderOf(region);
            long applied = leader == null ? 0 : leader.appliedIndex();
            minApplied = Math.min(minApplied, applied);
            if (region.equals(primary)) {
                continue;
            }
            lag.put(region, workload.lagMs(applied, now));
            p99.put(region, leader == null ? Double.NaN : (double) cluster.inboundLag(region, primary).p99());
        }
        workload.trimAppliedBelow(minApplied);
        synchronized (series) {
            series.add(new RunReport.SeriesPoint(now, ops, lag));
        }
        if (print) {
            clock.out().println(ProgressLine.format(now / 1000.0, phase.get(), acked, ops, p99, cluster.roles()));
            clock.out().flush();
        }
    }

    List<RunReport.SeriesPoint> series() {
        synchronized (series) {
            return new ArrayList<>(series);
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
