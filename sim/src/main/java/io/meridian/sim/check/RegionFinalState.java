package io.meridian.sim.check;

import java.util.List;

/**
 * A region at the end of a run, after the workload stopped and replication settled.
 *
 * @param region the region
 * @param digest the state-machine digest of the region (e.g. of its Raft leader)
 * @param nodes  the WAL of each node of the region
 */
public record RegionFinalState(String region, String digest, List<WalView> nodes) {

    public RegionFinalState {
        nodes = List.copyOf(nodes);
    }
}
