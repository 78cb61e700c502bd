package io.meridian.sim.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link Checker} found. Lists of write ids are complete and sorted; {@code violations}
 * holds one named line per problem (capped per kind, with a "... and N more" line).
 *
 * @param converged             every region ended with the same digest
 * @param digests               region to digest
 * @param finalPrimaryRegion    the region whose log decided which acknowledged writes were lost
 * @param lostAckedWrites       acknowledged writes missing from the final primary (or any region when converged)
 * @param duplicateApplies      writes found at more than one index in a region
 * @param fencedWritesAccepted  writes acknowledged in an epoch after a higher epoch had acknowledged one
 * @param walGaps               breaks in a node's index sequence, e.g. "node eu-2 jumps from 100 to 102"
 * @param exportedWriteIds      write ids in DATA entries of the divergent tails
 * @param divergentTailMismatch after a failover, the lost acknowledged writes differ from the exported ones
 * @param epochAcks             which regions acknowledged writes in which epoch, and when
 * @param failedWritesApplied   writes refused as definitely not applied that are in a log or tail anyway
 * @param violations            named violations; empty means the run passed
 */
public record CheckResult(boolean converged, Map<String, String> digests, String finalPrimaryRegion,
                          List<Integer> lostAckedWrites, List<Integer> duplicateApplies,
                          List<Integer> fencedWritesAccepted, List<String> walGaps, List<Integer> exportedWriteIds,
                          boolean divergentTailMismatch, EpochAcks.Result epochAcks,
                          List<Integer> failedWritesApplied, List<String> violations) {

    public CheckResult {
        digests = Collections.unmodifiableMap(new LinkedHashMap<>(digests));
        lostAckedWrites = List.copyOf(lostAckedWrites);
        duplicateApplies = List.copyOf(duplicateApplies);
        fencedWritesAccepted = List.copyOf(fencedWritesAccepted);
        walGaps = List.copyOf(walGaps);
        exportedWriteIds = List.copyOf(exportedWriteIds);
        failedWritesApplied = List.copyOf(failedWritesApplied);
        violations = List.copyOf(violations);
    }

    public boolean passed() {
        return violations.isEmpty();
    }
}
