package io.meridian.sim.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Judges a finished run from the client's history and every node's WAL.
 *
 * <p>An ACKED write at (epoch, index) is present in a region when a node of the region holds an
 * entry at that index, of that epoch, carrying that write id (or a node's WAL starts after the
 * index because it installed an image; the digests cover those). Violations:
 * <ul>
 *   <li>NOT_CONVERGED: region digests differ;</li>
 *   <li>LOST_ACKED_WRITE: with {@code expectZeroLoss}, an acknowledged write is missing from the
 *       final primary's region, or from any region when all converged;</li>
 *   <li>DIVERGENT_TAIL_MISMATCH: after a failover, the lost acknowledged writes are not exactly the
 *       acknowledged writes the old primary exported (lost writes that were exported are the
 *       reported RPO, not violations; exported writes the client never saw acknowledged are ignored
 *       because a crash can commit a write whose acknowledgement never reached the client);</li>
 *   <li>DUPLICATE_APPLY: a write id at more than one index of a region;</li>
 *   <li>TWO_PRIMARIES_IN_EPOCH and FENCED_WRITE_ACCEPTED: see {@link EpochAcks} (one region
 *       acknowledges per epoch; no ack of an older epoch after a newer epoch's first ack);</li>
 *   <li>FAILED_WRITE_APPLIED: a write refused as definitely not applied is in a log or a tail;</li>
 *   <li>WAL_GAP: a node's WAL skips or repeats an index after its first entry.</li>
 * </ul>
 */
public final class Checker {

    /** More lines of one kind than this say nothing new and drown the others. */
    public static final int MAX_MESSAGES_PER_KIND = 50;

    private Checker() {
    }

    /** Checks a run, taking as final primary the region whose log reached the highest epoch. */
    public static CheckResult check(History history, List<RegionFinalState> regions, List<DivergentTail> tails,
                                    boolean expectZeroLoss) {
        return check(history, regions, tails, expectZeroLoss, null);
    }

    /**
     * Checks a run.
     *
     * @param finalPrimaryRegion the primary at the end of the run, or null to infer it as the region
     *                           whose WAL ends in the highest epoch (then the longest WAL)
     */
    public static CheckResult check(History history, List<RegionFinalState> regions, List<DivergentTail> tails,
                                    boolean expectZeroLoss, String finalPrimaryRegion) {
        Objects.requireNonNull(history, "history");
        List<RegionLog> logs = regions.stream().map(RegionLog::new).collect(Collectors.toList());
        List<WriteRecord> acked = history.acked();
        Violations violations = new Violations();

        Map<String, String> digests = new LinkedHashMap<>();
        logs.forEach(l -> digests.put(l.region(), l.digest()));
        boolean converged = converged(logs);
        if (!converged) {
            violations.add("NOT_CONVERGED", "digests " + digests.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        }

        RegionLog primary = finalPrimary(logs, finalPrimaryRegion);
        List<RegionLog> mustHold = converged || primary == null ? logs : List.of(primary);
        List<Integer> lost = new ArrayList<>();
        List<String> lostMessages = new ArrayList<>();
        for (WriteRecord w : acked) {
            List<String> missingFrom = mustHold.stream().filter(l -> !l.holds(w)).map(RegionLog::region).toList();
            if (!missingFrom.isEmpty()) {
                lost.add(w.id());
                lostMessages.add("write " + w.id() + " acked at " + w.position() + " by " + w.region()
                        + " is missing from region " + String.join(",", missingFrom));
            }
        }

        TreeSet<Integer> exported = exportedWriteIds(tails);
        boolean tailMismatch = false;
        if (expectZeroLoss) {
            lostMessages.forEach(m -> violations.add("LOST_ACKED_WRITE", m));
        } else {
            Set<Integer> ackedIds = acked.stream().map(WriteRecord::id).collect(Collectors.toSet());
            TreeSet<Integer> exportedAcked = new TreeSet<>(exported);
            exportedAcked.retainAll(ackedIds);
            TreeSet<Integer> lostSet = new TreeSet<>(lost);
            if (!lostSet.equals(exportedAcked)) {
                tailMismatch = true;
                violations.add("DIVERGENT_TAIL_MISMATCH", "acked-but-missing " + braces(lostSet)
                        + " != exported " + braces(exportedAcked));
            }
        }

        List<Integer> duplicates = duplicates(logs, violations);
        EpochAcks.Result epochAcks = EpochAcks.check(acked, violations::add);
        List<Integer> failedApplied = failedButApplied(history, logs, exported, violations);
        List<String> gaps = new ArrayList<>();
        for (RegionLog l : logs) {
            for (String gap : l.gaps()) {
                gaps.add(gap);
                violations.add("WAL_GAP", gap);
            }
        }
        return new CheckResult(converged, digests, primary == null ? null : primary.region(), lost, duplicates,
                epochAcks.fencedWriteIds(), gaps, List.copyOf(exported), tailMismatch, epochAcks, failedApplied,
                violations.lines());
    }

    private static boolean converged(List<RegionLog> logs) {
        if (logs.isEmpty()) {
            return true;
        }
        String first = logs.get(0).digest();
        return first != null && logs.stream().allMatch(l -> first.equals(l.digest()));
    }

    private static RegionLog finalPrimary(List<RegionLog> logs, String named) {
        if (named != null) {
            return logs.stream().filter(l -> l.region().equals(named)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("final primary '" + named
                            + "' is not among the regions " + logs.stream().map(RegionLog::region).toList()));
        }
        Comparator<RegionLog> furthest = Comparator.comparingLong(RegionLog::lastEpoch)
                .thenComparingLong(RegionLog::lastIndex);
        RegionLog best = null;
        for (RegionLog l : logs) {
            // Strictly further, so that on a tie the first listed region wins.
            if (best == null || furthest.compare(l, best) > 0) {
                best = l;
            }
        }
        return best;
    }

    private static TreeSet<Integer> exportedWriteIds(List<DivergentTail> tails) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (DivergentTail tail : tails) {
            for (LogEntry e : tail.entries()) {
                int id = e.writeId();
                if (id >= 0) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private static List<Integer> duplicates(List<RegionLog> logs, Violations violations) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (RegionLog l : logs) {
            l.duplicates().forEach((id, indexes) -> {
                ids.add(id);
                violations.add("DUPLICATE_APPLY", "write " + id + " appears at indexes " + indexes
                        + " in region " + l.region());
            });
        }
        return List.copyOf(ids);
    }

    /**
     * A write the client was told was definitely not applied (FAILED: a typed refusal before it
     * entered the log) must appear in no log and no exported tail: otherwise the refusal lied and a
     * client retrying it would write twice.
     */
    private static List<Integer> failedButApplied(History history, List<RegionLog> logs, Set<Integer> exported,
                                                  Violations violations) {
        Set<Integer> present = new java.util.HashSet<>(exported);
        logs.forEach(l -> present.addAll(l.writeIds()));
        List<Integer> ids = new ArrayList<>();
        for (WriteRecord w : history.all()) {
            if (w.status() == WriteRecord.Status.FAILED && present.contains(w.id())) {
                ids.add(w.id());
                violations.add("FAILED_WRITE_APPLIED", "write " + w.id() + " sent to " + w.region()
                        + " failed with '" + w.error() + "' yet is in the log");
            }
        }
        return ids;
    }

    private static String braces(Set<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }

    /** Collects violation lines, keeping at most {@link #MAX_MESSAGES_PER_KIND} of each kind. */
    private static final class Violations {
        private final Map<String, List<String>> byKind = new LinkedHashMap<>();
        private final Map<String, Integer> overflow = new LinkedHashMap<>();

        void add(String kind, String message) {
            List<String> lines = byKind.computeIfAbsent(kind, k -> new ArrayList<>());
            if (lines.size() < MAX_MESSAGES_PER_KIND) {
                lines.add(kind + ": " + message);
            } else {
                overflow.merge(kind, 1, Integer::sum);
            }
        }

        List<String> lines() {
            List<String> all = new ArrayList<>();
            byKind.forEach((kind, lines) -> {
                all.addAll(lines);
                Integer more = overflow.get(kind);
                if (more != null) {
                    all.add(kind + ": ... and " + more + " more");
                }
            });
            return all;
        }
    }
}
