package io.meridian.sim.check;

import io.meridian.sim.check.linear.LinearResult;
import io.meridian.sim.check.linear.SecondaryResult;
import io.meridian.sim.check.linear.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link ReadChecks} found.
 *
 * @param linear                the linearizability verdict on the primary path
 * @param writes                writes given (every outcome)
 * @param linearReads           linearizable reads given (every outcome)
 * @param discardedWriteReads   of those, OK reads that returned a write a promotion later discarded
 * @param discardedReadViolations DISCARDED_WRITE_READ lines: such reads begun after a newer epoch's first ack
 * @param secondary             the secondary-read verdict on the reads judged
 * @param staleReads            stale reads given
 * @param divergentReplicaReads of those, reads on a replica holding a since-discarded tail (not judged)
 */
public record ReadCheckResult(LinearResult linear, long writes, long linearReads, long discardedWriteReads,
                              List<String> discardedReadViolations, SecondaryResult secondary, long staleReads,
                              long divergentReplicaReads) {

    public ReadCheckResult {
        discardedReadViolations = List.copyOf(discardedReadViolations);
    }

    /**
     * Every problem as a report violation line. A linearizability verdict of UNKNOWN (search budget
     * spent) is one too: an unproven history is not a pass.
     */
    public List<String> violationLines() {
        List<String> lines = new ArrayList<>(linear.violationLines());
        lines.addAll(discardedReadViolations);
        lines.addAll(secondary.violationLines());
        return lines;
    }

    /** report.json's "linearizability" object: the checker's own view plus what was fed to it. */
    public Map<String, Object> linearizabilityJson() {
        Map<String, Object> m = new LinkedHashMap<>(linear.toJson());
        if (!discardedReadViolations.isEmpty()) {
            m.put("verdict", Verdict.VIOLATION.json());
        }
        m.put("writes", writes);
        m.put("reads", linearReads);
        m.put("discarded_write_reads", discardedWriteReads);
        m.put("discarded_write_read_violations", discardedReadViolations.size());
        return m;
    }

    /** report.json's "secondary_reads" object. */
    public Map<String, Object> secondaryJson() {
        Map<String, Object> m = new LinkedHashMap<>(secondary.toJson());
        m.put("stale_reads", staleReads);
        m.put("divergent_replica_reads", divergentReplicaReads);
        return m;
    }
}
