package io.meridian.sim.check;

import java.util.List;

/**
 * The entries a rejoining old primary region exported because the new primary's log superseded
 * them: the run's reported data loss (RPO).
 *
 * @param region  the old primary region
 * @param entries the exported entries, possibly none
 */
public record DivergentTail(String region, List<LogEntry> entries) {

    public DivergentTail {
        entries = List.copyOf(entries);
    }
}
