package io.meridian.sim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summary rows for the consistency sections of a report (linearizability, secondary reads, acks per
 * epoch, promotion race). They read the JSON views the report carries, so the text and HTML
 * summaries show exactly what report.json says.
 */
final class ConsistencyRows {

    private ConsistencyRows() {
    }

    static List<SummaryRows.Row> of(RunReport r) {
        List<SummaryRows.Row> rows = new ArrayList<>();
        Map<String, Object> lin = r.linearizability();
        if (lin != null) {
            rows.add(new SummaryRows.Row("linearizability", String.format(Locale.US,
                    "%s: %,d ops (%,d writes, %,d reads) on %,d keys, %,d search steps%s%s",
                    lin.get("verdict"), num(lin.get("ops")), num(lin.get("writes")), num(lin.get("reads")),
                    num(lin.get("keys")), num(lin.get("search_steps")),
                    num(lin.get("discarded_write_reads")) > 0 ? ", " + lin.get("discarded_write_reads")
                            + " reads of discarded writes" : "",
                    num(lin.get("violations_total")) > 0 ? ", " + lin.get("violations_total") + " violating keys" : "")));
        }
        Map<String, Object> sec = r.secondaryReads();
        if (sec != null) {
            rows.add(new SummaryRows.Row("secondary reads", String.format(Locale.US,
                    "%s: %,d stale reads, %,d judged, %,d on a replica holding a since-discarded tail; anomalies %s",
                    sec.get("verdict"), num(sec.get("stale_reads")), num(sec.get("checked_reads")),
                    num(sec.get("divergent_replica_reads")), sec.get("anomaly_counts"))));
        }
        Map<String, Object> acks = r.primaryAcks();
        if (acks != null) {
            StringBuilder sb = new StringBuilder();
            if (acks.get("epochs") instanceof List<?> epochs) {
                for (Object o : epochs) {
                    if (o instanceof Map<?, ?> e) {
                        sb.append("epoch ").append(e.get("epoch")).append(": ").append(e.get("regions")).append(' ')
                                .append(e.get("acks")).append(" acks, t ").append(e.get("first_ack_ms")).append('–')
                                .append(e.get("last_ack_ms")).append(" ms; ");
                    }
                }
            }
            Object gap = acks.get("min_handover_gap_ms");
            sb.append("one region per epoch: ").append(Boolean.TRUE.equals(acks.get("single_primary_per_epoch"))
                    ? "yes" : "NO");
            if (gap != null) {
                sb.append(", min handover gap ").append(gap).append(" ms");
            }
            rows.add(new SummaryRows.Row("acks per epoch", sb.toString()));
        }
        Map<String, Object> race = r.promotionRace();
        if (race != null) {
            rows.add(new SummaryRows.Row("promotion race", "winner " + race.get("winner") + "; " + race.entrySet()
                    .stream().filter(e -> race.get("candidates") instanceof List<?> c && c.contains(e.getKey()))
                    .map(e -> e.getKey() + ": " + e.getValue()).reduce((a, b) -> a + "; " + b).orElse("")));
        }
        return rows;
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
