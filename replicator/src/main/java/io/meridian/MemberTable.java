package io.meridian;

import io.meridian.raft.MemberChange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topology a node knows now: the one it started with, overlaid with the membership changes in
 * its replicated state (the latest per node: an ADD adds or re-roles it, a REMOVE drops it). Every
 * node of every region applies the same changes at the same cluster-log index, so they all converge
 * on the same table, restarts included (the changes live in snapshots and the Raft log).
 */
final class MemberTable {

    private final List<MemberChange> source;
    private final ClusterTopology topology;
    private final Set<String> observers;
    private final Map<String, String> adminEndpoints;
    private final Map<String, List<String>> voterAeronEndpoints;

    private MemberTable(List<MemberChange> source, ClusterTopology topology, Set<String> observers,
                        Map<String, String> adminEndpoints) {
        this.source = source;
        this.topology = topology;
        this.observers = observers;
        this.adminEndpoints = adminEndpoints;
        Map<String, List<String>> voters = new LinkedHashMap<>();
        for (String region : topology.regionNames()) {
            List<String> endpoints = new ArrayList<>();
            for (ClusterTopology.NodeSpec n : topology.nodes(region)) {
                if (!observers.contains(n.nodeId()) && n.aeronEndpoint() != null) {
                    endpoints.add(n.aeronEndpoint());
                }
            }
            voters.put(region, List.copyOf(endpoints));
        }
        this.voterAeronEndpoints = voters;
    }

    /**
     * @throws IllegalArgumentException when the changes make an invalid topology (an empty region, an
     *                                  endpoint used twice, an unknown region...), naming the fault
     */
    static MemberTable of(ClusterTopology startup, List<MemberChange> changes) {
        Map<String, MemberChange> latest = new HashMap<>();
        changes.forEach(c -> latest.put(c.nodeId(), c));
        ClusterTopology.Builder b = ClusterTopology.builder().primary(startup.initialPrimary())
                .witness(startup.witnessEndpoint());
        Set<String> observers = new HashSet<>();
        Map<String, String> admins = new HashMap<>();
        Set<String> placed = new HashSet<>();
        for (String region : startup.regionNames()) {
            b.region(region);
            for (ClusterTopology.NodeSpec n : startup.nodes(region)) {
                MemberChange c = latest.get(n.nodeId());
                if (c == null) {
                    b.node(n.nodeId(), n.raftEndpoint(), n.aeronEndpoint());
                } else if (!c.isRemove() && c.region().equals(region)) {
                    add(b, c, observers, admins);
                }
                placed.add(n.nodeId());
            }
            for (MemberChange c : changes) {
                if (c == latest.get(c.nodeId()) && !c.isRemove() && c.region().equals(region)
                        && !placed.contains(c.nodeId())) {
                    add(b, c, observers, admins);
                }
            }
        }
        for (MemberChange c : latest.values()) {
            if (!c.isRemove() && !startup.regionNames().contains(c.region())) {
                throw new IllegalArgumentException("unknown region '" + c.region() + "' for node " + c.nodeId()
                        + "; known: " + startup.regionNames());
            }
        }
        return new MemberTable(changes, b.build(), Set.copyOf(observers), Map.copyOf(admins));
    }

    private static void add(ClusterTopology.Builder b, MemberChange c, Set<String> observers, Map<String, String> admins) {
        b.node(c.nodeId(), c.raftEndpoint(), c.aeronEndpoint().isEmpty() ? null : c.aeronEndpoint());
        if (c.observer()) {
            observers.add(c.nodeId());
        }
        if (!c.adminEndpoint().isEmpty()) {
            admins.put(c.nodeId(), c.adminEndpoint());
        }
    }

    /** This table, marked as built from {@code changes} (when those could not be applied). */
    MemberTable withSource(List<MemberChange> changes) {
        return new MemberTable(changes, topology, observers, adminEndpoints);
    }

    /** The changes this table was built from (compared by identity to tell when to rebuild). */
    List<MemberChange> source() {
        return source;
    }

    ClusterTopology topology() {
        return topology;
    }

    boolean isObserver(String nodeId) {
        return observers.contains(nodeId);
    }

    /** Admin addresses given when nodes were added (other nodes' come from the operator's config). */
    Map<String, String> adminEndpoints() {
        return adminEndpoints;
    }

    /**
     * Each region's voters' Aeron endpoints: where shippers and vote requests go (an observer never
     * leads, so it never receives batches or answers for its region).
     */
    Map<String, List<String>> voterAeronEndpoints() {
        return voterAeronEndpoints;
    }
}
