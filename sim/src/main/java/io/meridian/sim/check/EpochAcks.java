package io.meridian.sim.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The single-primary invariant, judged from the acknowledgements clients received: at most one
 * region acknowledges writes in any epoch, and no region acknowledges a write of an older epoch later
 * than the first acknowledgement of a newer one (the deposed primary must have stopped before its
 * successor started: that is what the lease and the promotion's lease wait are for).
 *
 * <p>Times are the client's completion times in ms since the run start, so "later" is as the clients
 * saw it: a deposed primary's ack delivered after the successor's first ack is a split brain a client
 * could observe, whatever the servers' clocks said. Pure.
 */
public final class EpochAcks {

    /**
     * One epoch's acknowledgements.
     *
     * @param epoch      the epoch
     * @param regions    regions that acknowledged writes of it, sorted (more than one is a violation)
     * @param acks       acknowledged writes
     * @param firstAckMs earliest acknowledgement
     * @param lastAckMs  latest acknowledgement
     */
    public record Epoch(long epoch, List<String> regions, long acks, long firstAckMs, long lastAckMs) {

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("regions", regions);
            m.put("acks", acks);
            m.put("first_ack_ms", firstAckMs);
            m.put("last_ack_ms", lastAckMs);
            return m;
        }
    }

    /**
     * @param epochs         every epoch with an acknowledgement, ascending
     * @param fencedWriteIds writes acknowledged after a newer epoch's first acknowledgement, by id
     * @param minHandoverGapMs smallest (first ack of an epoch − last ack of any older epoch) over the
     *                       run; negative exactly when a fenced write was accepted; null with one epoch
     */
    public record Result(List<Epoch> epochs, List<Integer> fencedWriteIds, Long minHandoverGapMs) {

        public Result {
            epochs = List.copyOf(epochs);
            fencedWriteIds = List.copyOf(fencedWriteIds);
        }

        /** Epoch to its first acknowledgement time. */
        public NavigableMap<Long, Long> firstAckMsByEpoch() {
            NavigableMap<Long, Long> m = new TreeMap<>();
            epochs.forEach(e -> m.put(e.epoch(), e.firstAckMs()));
            return m;
        }

        public boolean singlePrimaryPerEpoch() {
            return epochs.stream().allMatch(e -> e.regions().size() <= 1);
        }

        /** report.json's "primary_acks" object. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("checked", true);
            m.put("single_primary_per_epoch", singlePrimaryPerEpoch());
            m.put("fenced_writes_accepted", fencedWriteIds.size());
            m.put("min_handover_gap_ms", minHandoverGapMs);
            List<Map<String, Object>> list = new ArrayList<>();
            epochs.forEach(e -> list.add(e.toJson()));
            m.put("epochs", list);
            return m;
        }
    }

    private EpochAcks() {
    }

    /**
     * Judges {@code acked} (ACKED records only), reporting each violation to {@code violation} as
     * (kind, message): TWO_PRIMARIES_IN_EPOCH and FENCED_WRITE_ACCEPTED.
     */
    public static Result check(List<WriteRecord> acked, BiConsumer<String, String> violation) {
        NavigableMap<Long, List<WriteRecord>> byEpoch = new TreeMap<>();
        for (WriteRecord w : acked) {
            byEpoch.computeIfAbsent(w.epoch(), k -> new ArrayList<>()).add(w);
        }
        List<Epoch> epochs = new ArrayList<>();
        Map<Long, WriteRecord> firstByEpoch = new TreeMap<>();
        for (Map.Entry<Long, List<WriteRecord>> e : byEpoch.entrySet()) {
            Map<String, Long> perRegion = new TreeMap<>();
            WriteRecord first = null;
            long last = Long.MIN_VALUE;
            for (WriteRecord w : e.getValue()) {
                perRegion.merge(w.region(), 1L, Long::sum);
                first = first == null || w.endMillis() < first.endMillis() ? w : first;
                last = Math.max(last, w.endMillis());
            }
            firstByEpoch.put(e.getKey(), first);
            epochs.add(new Epoch(e.getKey(), List.copyOf(perRegion.keySet()), e.getValue().size(), first.endMillis(),
                    last));
            if (perRegion.size() > 1) {
                violation.accept("TWO_PRIMARIES_IN_EPOCH", "epoch " + e.getKey() + " was acknowledged by regions "
                        + perRegion + " (region=writes)");
            }
        }
        // Per epoch, the earliest first-ack among all newer epochs.
        Map<Long, WriteRecord> firstAbove = new TreeMap<>();
        WriteRecord earliest = null;
        for (long epoch : new TreeSet<>(firstByEpoch.keySet()).descendingSet()) {
            firstAbove.put(epoch, earliest);
            WriteRecord f = firstByEpoch.get(epoch);
            earliest = earliest == null || f.endMillis() < earliest.endMillis() ? f : earliest;
        }
        List<Integer> fenced = new ArrayList<>();
        Long minGap = null;
        for (Map.Entry<Long, List<WriteRecord>> e : byEpoch.entrySet()) {
            WriteRecord newer = firstAbove.get(e.getKey());
            if (newer == null) {
                continue;
            }
            for (WriteRecord w : e.getValue()) {
                long gap = newer.endMillis() - w.endMillis();
                minGap = minGap == null ? gap : Math.min(minGap, gap);
                if (gap < 0) {
                    fenced.add(w.id());
                    violation.accept("FENCED_WRITE_ACCEPTED", "deposed primary " + w.region() + " acked write "
                            + w.id() + " at " + w.position() + " at t=" + w.endMillis() + "ms, after " + newer.region()
                            + " acked write " + newer.id() + " of epoch " + newer.epoch() + " at t="
                            + newer.endMillis() + "ms");
                }
            }
        }
        fenced.sort(Integer::compare);
        return new Result(epochs, fenced, minGap);
    }
}
