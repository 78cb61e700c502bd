package io.meridian.xregion;

import io.meridian.raft.ClusterState;
import io.meridian.wal.Wal;
import io.meridian.wal.WalEntry;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The local region as the cross-region agent sees it: small, so the agent can be tested against a
 * fake, and so JRaft stays behind the region-raft module.
 */
public interface LocalRegion {

    /** Name of this node's region. */
    String regionName();

    /** True while this node leads its region's Raft group. */
    boolean isLeader();

    /** The replicated cluster state as applied on this node. */
    ClusterState state();

    /** This node's WAL (the agent only reads it). */
    Wal wal();

    /** Aeron endpoint of the region's Raft leader, or empty when unknown. */
    String leaderAeronEndpoint();

    /**
     * How far this node should ship to {@code remoteRegion} now: -1 for not at all, otherwise the
     * highest index to ship ({@link Long#MAX_VALUE} for everything). Only a leader of the primary
     * region ships everything; a deposed primary drains up to its hand-over entry.
     */
    long shipLimit(String remoteRegion);

    /** Proposes entries received from the primary as one Raft entry. */
    CompletableFuture<BatchOutcome> proposeBatch(long senderEpoch, List<WalEntry> entries);

    /** A frame showed a newer epoch than this region knows: fence it (stop admitting writes at once). */
    void onHigherEpoch(long epoch, String primaryRegion);

    /** Result of proposing a batch. */
    sealed interface BatchOutcome permits Applied, Gap, Stale, Failed {
    }

    /**
     * Applied (or already present) up to {@code appliedIndex}; {@code applyStartNanos}
     * ({@link System#nanoTime()}, 0 if unknown) is when the region's leader began applying it.
     */
    record Applied(long appliedIndex, long applyStartNanos) implements BatchOutcome {
        public Applied(long appliedIndex) {
            this(appliedIndex, 0);
        }
    }

    /** The batch did not continue the log; {@code expectedIndex} is next. */
    record Gap(long expectedIndex) implements BatchOutcome { }

    /** The batch's epoch is older than the region's. */
    record Stale(long epoch, String primaryRegion) implements BatchOutcome { }

    /** Not proposed or not committed (leadership lost, overload); retried by the shipper. */
    record Failed(boolean notLeader, String reason) implements BatchOutcome { }
}
