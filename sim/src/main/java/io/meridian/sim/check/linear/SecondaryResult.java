package io.meridian.sim.check.linear;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the secondary-read checks found.
 *
 * @param reads        reads given
 * @param checkedReads of those, the OK ones (the others observed nothing)
 * @param anomalies    every anomaly, grouped by kind (unknown values, non-monotonic reads, prefix checks)
 */
public record SecondaryResult(int reads, int checkedReads, List<SecondaryAnomaly> anomalies) {

    /** Per kind, report lines and report.json list at most this many; the counts are always exact. */
    public static final int MAX_LISTED_PER_KIND = 20;

    public SecondaryResult {
        anomalies = List.copyOf(anomalies);
    }

    public boolean ok() {
        return anomalies.isEmpty();
    }

    public Verdict verdict() {
        return ok() ? Verdict.OK : Verdict.VIOLATION;
    }

    public List<SecondaryAnomaly> anomalies(SecondaryAnomaly.Kind kind) {
        return anomalies.stream().filter(a -> a.kind() == kind).toList();
    }

    /** "KIND: description" lines, capped per kind with a "... and N more" line. */
    public List<String> violationLines() {
        List<String> lines = new ArrayList<>();
        for (SecondaryAnomaly.Kind kind : SecondaryAnomaly.Kind.values()) {
            List<SecondaryAnomaly> of = anomalies(kind);
            of.stream().limit(MAX_LISTED_PER_KIND).forEach(a -> lines.add(a.line()));
            if (of.size() > MAX_LISTED_PER_KIND) {
                lines.add(kind.name() + ": ... and " + (of.size() - MAX_LISTED_PER_KIND) + " more");
            }
        }
        return lines;
    }

    /** A JSON-friendly view (String/Number/Boolean/List/Map/null only) with snake_case keys. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", verdict().json());
        m.put("reads", reads);
        m.put("checked_reads", checkedReads);
        Map<String, Object> counts = new LinkedHashMap<>();
        List<Map<String, Object>> listed = new ArrayList<>();
        for (SecondaryAnomaly.Kind kind : SecondaryAnomaly.Kind.values()) {
            List<SecondaryAnomaly> of = anomalies(kind);
            counts.put(kind.name().toLowerCase(Locale.ROOT), of.size());
            of.stream().limit(MAX_LISTED_PER_KIND).forEach(a -> listed.add(a.toJson()));
        }
        m.put("anomaly_counts", counts);
        m.put("anomalies", listed);
        return m;
    }
}
