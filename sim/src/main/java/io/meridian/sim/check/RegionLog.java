package io.meridian.sim.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** A region's node WALs indexed for the checker's questions. */
final class RegionLog {

    private final RegionFinalState state;
    private final List<Map<Long, LogEntry>> byIndexPerNode = new ArrayList<>();
    private final List<Long> firstIndexPerNode = new ArrayList<>();

    RegionLog(RegionFinalState state) {
        this.state = state;
        for (WalView node : state.nodes()) {
            Map<Long, LogEntry> byIndex = new HashMap<>(node.entries().size() * 2);
            for (LogEntry e : node.entries()) {
                byIndex.putIfAbsent(e.index(), e);
            }
            byIndexPerNode.add(byIndex);
            firstIndexPerNode.add(node.entries().isEmpty() ? -1 : node.entries().get(0).index());
        }
    }

    String region() {
        return state.region();
    }

    String digest() {
        return state.digest();
    }

    /**
     * True when some node holds the acknowledged entry, or some node's WAL starts after its index:
     * that node installed a state image covering the write, which the digest comparison checks.
     */
    boolean holds(WriteRecord write) {
        for (int n = 0; n < byIndexPerNode.size(); n++) {
            long first = firstIndexPerNode.get(n);
            if (first > write.index()) {
                return true;
            }
            LogEntry e = byIndexPerNode.get(n).get(write.index());
            if (e != null && e.epoch() == write.epoch() && e.writeId() == write.id()) {
                return true;
            }
        }
        return false;
    }

    /** Highest epoch among the nodes' last entries, -1 when every WAL is empty. */
    long lastEpoch() {
        long epoch = -1;
        for (WalView node : state.nodes()) {
            if (!node.entries().isEmpty()) {
                epoch = Math.max(epoch, node.entries().get(node.entries().size() - 1).epoch());
            }
        }
        return epoch;
    }

    long lastIndex() {
        long index = -1;
        for (WalView node : state.nodes()) {
            if (!node.entries().isEmpty()) {
                index = Math.max(index, node.entries().get(node.entries().size() - 1).index());
            }
        }
        return index;
    }

    /** Every workload write id in any node's WAL of the region. */
    java.util.Set<Integer> writeIds() {
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (WalView node : state.nodes()) {
            for (LogEntry e : node.entries()) {
                int id = e.writeId();
                if (id >= 0) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** Write id to the indexes it occupies across the region's nodes, for ids at more than one index. */
    Map<Integer, TreeSet<Long>> duplicates() {
        Map<Integer, TreeSet<Long>> indexesById = new HashMap<>();
        for (WalView node : state.nodes()) {
            for (LogEntry e : node.entries()) {
                int id = e.writeId();
                if (id >= 0) {
                    indexesById.computeIfAbsent(id, k -> new TreeSet<>()).add(e.index());
                }
            }
        }
        Map<Integer, TreeSet<Long>> duplicates = new TreeMap<>();
        indexesById.forEach((id, indexes) -> {
            if (indexes.size() > 1) {
                duplicates.put(id, indexes);
            }
        });
        return duplicates;
    }

    /** One description per break in a node's index sequence, checked from its first entry. */
    List<String> gaps() {
        List<String> gaps = new ArrayList<>();
        for (WalView node : state.nodes()) {
            List<LogEntry> entries = node.entries();
            for (int i = 1; i < entries.size(); i++) {
                long previous = entries.get(i - 1).index();
                long current = entries.get(i).index();
                if (current > previous + 1) {
                    gaps.add("node " + node.nodeId() + " jumps from " + previous + " to " + current);
                } else if (current <= previous) {
                    gaps.add("node " + node.nodeId() + " goes back from " + previous + " to " + current);
                }
            }
        }
        return gaps;
    }
}
