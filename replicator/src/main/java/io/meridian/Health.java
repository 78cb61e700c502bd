package io.meridian;

import java.util.Map;

/**
 * A point-in-time view of one node, cheap to take.
 *
 * @param node          this node's id
 * @param region        this node's region
 * @param raftRole      LEADER or FOLLOWER within the region's Raft group
 * @param leader        node id of the region's Raft leader as this node knows it ("" while unknown)
 * @param term          Raft term of the last applied entry
 * @param epoch         cluster epoch as known by this region
 * @param primaryRegion primary region of that epoch
 * @param regionRole    PRIMARY, SECONDARY or FENCED (deposed or lease lost, accepts no writes)
 * @param commitIndex   Raft commit index of this node
 * @param appliedIndex  last cluster-log index applied on this node
 * @param walLastIndex  last index in this node's WAL
 * @param remotes       per remote region, what this node (when it is the shipping leader) has shipped
 * @param fencing       how this deployment fences a deposed primary: {@code "lease <ms>ms"},
 *                      {@code "UNSAFE: off (unsafeNoFencing)"}, or {@code "none needed (single region)"}
 * @param leaseHeld     in the primary region: on its leader, whether it holds its lease now; on a
 *                      follower, whether the leader confirmed holding it within the last lease (a
 *                      follower cannot know better); false elsewhere and in a fenced region
 * @param walFirstIndex oldest index this node's WAL still holds (older ones were released; a remote
 *                      needing them is re-seeded from an image)
 * @param walBytes      bytes this node's WAL holds (bounded by {@link WalRetentionSettings#maxBytes()}
 *                      plus about one roll cycle)
 * @param stateMachineError why this node stopped applying committed entries (its {@link StateMachine}
 *                      threw, or its WAL failed); "" while healthy. Such a node is unhealthy until restarted
 * @param appliedWaiters {@link Replicator#awaitApplied} calls waiting now (bounded by
 *                      {@link ReplicatorContext#maxAppliedWaiters(int)})
 */
public record Health(String node, String region, String raftRole, String leader, long term, long epoch,
                     String primaryRegion, String regionRole, long commitIndex, long appliedIndex,
                     long walLastIndex, Map<String, RemoteStatus> remotes, String fencing, boolean leaseHeld,
                     long walFirstIndex, long walBytes, String stateMachineError, int appliedWaiters) {

    /** False when this node stopped applying committed entries (see {@link #stateMachineError()}). */
    public boolean isApplying() {
        return stateMachineError.isEmpty();
    }

    /** True when this node leads its region's Raft group. */
    public boolean isLeader() {
        return "LEADER".equals(raftRole);
    }

    /**
     * Shipping towards one remote region, as seen from the shipping leader.
     *
     * @param state        shipper state (DISCONNECTED, HANDSHAKING, STREAMING, IDLE, HALTED)
     * @param shippedIndex last index sent
     * @param ackedIndex   last index the remote acknowledged as committed there
     * @param lagEntries   local last index minus acked index
     * @param lagMsP50     commit-at-origin to ack-received latency percentiles (ms)
     * @param inFlightBatches batches sent and not yet acknowledged (bounded by the shipping window)
     * @param inFlightBytes   their bytes (bounded by the shipping window)
     * @param errors          failures of the shipper to this region (each retried with backoff)
     * @param lastError       the latest one, "" if none; with state HALTED, why shipping stopped
     *                        (e.g. the index of a corrupt WAL entry)
     */
    public record RemoteStatus(String region, String state, long shippedIndex, long ackedIndex, long lagEntries,
                               double lagMsP50, double lagMsP99, double lagMsP999, double lagMsMax,
                               long bytesShipped, long batchesShipped, long reconnects, long inFlightBatches,
                               long inFlightBytes, long errors, String lastError) { }
}
