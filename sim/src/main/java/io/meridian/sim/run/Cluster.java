package io.meridian.sim.run;

import io.meridian.Position;
import io.meridian.sim.check.DivergentTail;
import io.meridian.sim.check.RegionFinalState;
import io.meridian.sim.report.RunReport;
import io.meridian.sim.wan.WanEmulator;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster a run drives, in this JVM ({@link SimCluster}) or as one OS process per node
 * ({@link ProcessCluster}). Both route cross-region traffic through the same WAN emulator, so
 * partitions and delay behave alike; they differ in what a crash or a pause is and in where the
 * checker's inputs come from at the end.
 *
 * <p>Lookups may be called from any thread (the workload's); faults come from the scenario thread.
 */
public interface Cluster extends AutoCloseable {

    /** Starts every node (and the witness), then waits for a leader in every region. */
    void start(Duration timeout) throws Exception;

    List<String> regions();

    List<String> nodesIn(String region);

    default boolean knowsNode(String nodeId) {
        return regions().stream().anyMatch(r -> nodesIn(r).contains(nodeId));
    }

    /** The node the region's nodes see as leader, or null. */
    SimNode leaderOf(String region);

    default SimNode awaitLeader(String region, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SimNode leader = leaderOf(region);
            if (leader != null) {
                return leader;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("region " + region + " has no leader after " + timeout);
            }
            SimCluster.pause(20);
        }
    }

    /** The region whose leader reports PRIMARY, or null while none does. */
    default String primaryRegion() {
        for (String region : regions()) {
            SimNode leader = leaderOf(region);
            if (leader != null && "PRIMARY".equals(leader.regionRole())) {
                return region;
            }
        }
        return null;
    }

    /** Region to the role its leader reports ("-" without a leader). */
    default Map<String, String> roles() {
        Map<String, String> roles = new LinkedHashMap<>();
        for (String region : regions()) {
            SimNode leader = leaderOf(region);
            roles.put(region, leader == null ? "-" : leader.regionRole());
        }
        return roles;
    }

    /** Nodes that run and answer, for local reads; empty when this cluster cannot bracket them. */
    List<SimNode> readableReplicas();

    boolean isRunning(String nodeId);

    /** Stops a node as a crash would (in-JVM: close; processes: SIGKILL); its data dir stays. */
    void crash(String nodeId);

    /** Starts a crashed node again from its data dir. */
    void restart(String nodeId);

    /** Whether a node is up and answering (a restarted process takes seconds to start its JVM). */
    default boolean answers(String nodeId) {
        return isRunning(nodeId);
    }

    /** Freezes every thread of a node (SIGSTOP); false when this cluster cannot (in-JVM). */
    boolean pause(String nodeId);

    /** Lets a paused node run again (SIGCONT). */
    void resume(String nodeId);

    /** The WAN every cross-region datagram of this cluster crosses. */
    WanEmulator wan();

    default void isolate(String region) {
        wan().isolate(region);
    }

    /** Drops every cross-region datagram addressed to one node (its region's Raft traffic stays). */
    void cutNode(String nodeId);

    default void healAll() {
        wan().healAll();
    }

    /** Planned switchover from the current primary to {@code target}; returns the duration it reports. */
    default Duration switchover(String target, Duration timeout) throws Exception {
        String primary = primaryRegion();
        if (primary == null) {
            throw new IllegalStateException("no primary region to switch over from");
        }
        return awaitLeader(primary, timeout).switchover(target, timeout);
    }

    /** Promotes {@code region}, retrying as an operator would when its leader changes on the way. */
    Position promote(String region, boolean allowDataLoss, Duration timeout) throws Exception;

    /** Starts a promotion on the region's leader without waiting for it. */
    CompletableFuture<Position> startPromotion(String region, boolean allowDataLoss);

    /** Pauses every apply in {@code region} (in-JVM only; zero ends it). */
    void slowApplies(String region, Duration perApply);

    /** Waits until every running node applied the same index with the same digest. */
    boolean awaitConvergence(Duration timeout);

    /** The shipped-entry lag of {@code region}'s leader from {@code primary}. */
    RunReport.Lag inboundLag(String region, String primary);

    /** Where {@code region}'s lag behind {@code primary} goes, per stage (µs); empty when not measured. */
    default java.util.Map<String, RunReport.StageLag> lagAnatomy(String region, String primary) {
        return java.util.Map.of();
    }

    /** What the checker reads: per region its digest and every node's WAL, and the exported tails. */
    record Final(List<RegionFinalState> regions, List<DivergentTail> tails) { }

    /** Gathers the checker's inputs; a process cluster stops its processes to read their WALs from disk. */
    Final collectFinal() throws IOException;

    @Override
    void close();
}
