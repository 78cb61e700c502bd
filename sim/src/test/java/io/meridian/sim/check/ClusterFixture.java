package io.meridian.sim.check;

import io.meridian.kv.KvCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a synthetic run: a history plus per-node WALs, so tests can plant one fault at a time. */
final class ClusterFixture {

    final History history = new History();
    private final Map<String, Map<String, List<LogEntry>>> walsByRegion = new LinkedHashMap<>();
    private final Map<String, String> digests = new LinkedHashMap<>();

    ClusterFixture region(String region, String digest, String... nodes) {
        Map<String, List<LogEntry>> wals = new LinkedHashMap<>();
        for (String node : nodes) {
            wals.put(node, new ArrayList<>());
        }
        walsByRegion.put(region, wals);
        digests.put(region, digest);
        return this;
    }

    /** An acknowledged write that every node of {@code holders} has in its WAL. */
    ClusterFixture ackedWrite(int id, String sentTo, long epoch, long index, long endMillis, String... holders) {
        history.add(WriteRecord.acked(id, "k" + id, sentTo, endMillis - 5, endMillis, epoch, index));
        for (String region : holders) {
            appendToRegion(region, entry(id, epoch, index));
        }
        return this;
    }

    ClusterFixture appendToRegion(String region, LogEntry e) {
        walsByRegion.get(region).values().forEach(wal -> wal.add(e));
        return this;
    }

    ClusterFixture appendToNode(String region, String node, LogEntry e) {
        walsByRegion.get(region).get(node).add(e);
        return this;
    }

    List<LogEntry> wal(String region, String node) {
        return walsByRegion.get(region).get(node);
    }

    ClusterFixture digest(String region, String digest) {
        digests.put(region, digest);
        return this;
    }

    List<RegionFinalState> finalStates() {
        List<RegionFinalState> states = new ArrayList<>();
        walsByRegion.forEach((region, wals) -> {
            List<WalView> views = new ArrayList<>();
            wals.forEach((node, entries) -> views.add(new WalView(node, entries)));
            states.add(new RegionFinalState(region, digests.get(region), views));
        });
        return states;
    }

    static LogEntry entry(int writeId, long epoch, long index) {
        return LogEntry.data(index, epoch, KvCommand.put("k" + writeId, WriteRecord.valueFor(writeId, 32)));
    }

    /** Two regions of two nodes holding acknowledged writes 1..n at 1:1..1:n, sent to eu every 10 ms. */
    static ClusterFixture clean(int n) {
        ClusterFixture f = new ClusterFixture().region("eu", "d1", "eu-1", "eu-2").region("us", "d1", "us-1", "us-2");
        for (int i = 1; i <= n; i++) {
            f.ackedWrite(i, "eu", 1, i, 10L * i, "eu", "us");
        }
        return f;
    }
}
