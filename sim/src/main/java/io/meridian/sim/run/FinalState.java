package io.meridian.sim.run;

import io.meridian.DivergentTailExporter;
import io.meridian.Replicator;
import io.meridian.sim.check.DivergentTail;
import io.meridian.sim.check.LogEntry;
import io.meridian.sim.check.RegionFinalState;
import io.meridian.sim.check.WalView;
import io.meridian.WalRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** End of run: waits for the regions to converge, then gathers what the checker reads. */
final class FinalState {

    private FinalState() {
    }

    /**
     * Waits until {@code converged} holds and still holds 300 ms later (polled every {@code pollMillis}).
     *
     * @return true if that happened within {@code timeout}
     */
    static boolean awaitStable(java.util.function.BooleanSupplier converged, Duration timeout, long pollMillis) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long stableSince = -1;
        while (System.nanoTime() < deadline) {
            if (converged.getAsBoolean()) {
                // Equal twice 300 ms apart: nothing was still in flight towards any region.
                if (stableSince < 0) {
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince > 300_000_000L) {
                    return true;
                }
            } else {
                stableSince = -1;
            }
            SimCluster.pause(pollMillis);
        }
        return false;
    }

    /** Every running in-JVM node has applied the same index with the same digest, and every region has a leader. */
    static boolean converged(SimCluster cluster) {
        long index = -1;
        String digest = null;
        for (String region : cluster.regions()) {
            if (cluster.leaderReplicator(region) == null) {
                return false;
            }
        }
        for (Replicator r : cluster.replicators()) {
            long applied = r.appliedPosition().index();
            String d = cluster.kv(r.nodeId()).digest();
            if (index < 0) {
                index = applied;
                digest = d;
            } else if (index != applied || !digest.equals(d)) {
                return false;
            }
        }
        return index >= 0;
    }

    static List<RegionFinalState> regions(SimCluster cluster) {
        List<RegionFinalState> states = new ArrayList<>();
        for (String region : cluster.regions()) {
            Replicator leader = cluster.leaderReplicator(region);
            String digest = leader == null ? null : cluster.kv(leader.nodeId()).digest();
            List<WalView> views = new ArrayList<>();
            for (Replicator r : cluster.replicators()) {
                if (r.region().equals(region)) {
                    views.add(new WalView(r.nodeId(), entries(r.wal())));
                }
            }
            states.add(new RegionFinalState(region, digest, views));
        }
        return states;
    }

    /** The shipped-entry lag from {@code primary} (else from whichever origin sent the most). */
    static io.meridian.sim.report.RunReport.Lag lag(Map<String, io.meridian.InboundLagSnapshot> lag,
                                                    String primary) {
        io.meridian.InboundLagSnapshot s = lag.get(primary);
        if (s == null || s.count() == 0) {
            s = lag.values().stream().max((a, b) -> Long.compare(a.count(), b.count())).orElse(null);
        }
        return s == null ? new io.meridian.sim.report.RunReport.Lag(0, 0, 0, 0)
                : new io.meridian.sim.report.RunReport.Lag(s.p50Millis(), s.p99Millis(), s.p999Millis(), s.maxMillis());
    }

    /** A stopped node's WAL, opened from disk (process clusters). */
    static List<LogEntry> entries(io.meridian.wal.Wal wal) {
        List<LogEntry> entries = new ArrayList<>();
        try (io.meridian.wal.WalReader reader = wal.openReader(wal.firstIndex())) {
            for (io.meridian.wal.WalEntry e = reader.next(); e != null; e = reader.next()) {
                entries.add(LogEntry.of(e));
            }
        }
        return entries;
    }

    static List<LogEntry> entries(io.meridian.WalView wal) {
        List<LogEntry> entries = new ArrayList<>();
        try (io.meridian.WalView.Reader reader = wal.openReader(wal.firstIndex())) {
            for (WalRecord e = reader.next(); e != null; e = reader.next()) {
                entries.add(LogEntry.of(e));
            }
        }
        return entries;
    }

    /** Every node's exported divergent tail, one per region, entries deduplicated by (index, epoch). */
    static List<DivergentTail> divergentTails(SimCluster cluster) throws IOException {
        return divergentTails(cluster, cluster::dataDir);
    }

    /** Reads the tails from each node's data dir: works for stopped processes too. */
    static List<DivergentTail> divergentTails(Cluster cluster, java.util.function.Function<String, Path> dataDir)
            throws IOException {
        List<DivergentTail> tails = new ArrayList<>();
        for (String region : cluster.regions()) {
            Map<String, LogEntry> unique = new LinkedHashMap<>();
            for (String node : cluster.nodesIn(region)) {
                Path dir = dataDir.apply(node).resolve("divergent");
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                        for (DivergentTailExporter.TailEntry e : DivergentTailExporter.read(f)) {
                            byte type = "DATA".equals(e.type()) ? LogEntry.DATA : LogEntry.CONTROL;
                            unique.putIfAbsent(e.epoch() + ":" + e.index(),
                                    LogEntry.compact(e.index(), e.epoch(), type, e.payload()));
                        }
                    }
                }
            }
            if (!unique.isEmpty()) {
                tails.add(new DivergentTail(region, new ArrayList<>(unique.values())));
            }
        }
        return tails;
    }
}
