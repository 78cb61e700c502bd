package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.raft.MemberChange;
import io.meridian.raft.Outcome;
import io.meridian.raft.RaftCommand;
import io.meridian.raft.RegionNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Live membership of the cluster, from one node ({@link Replicator#members()}).
 *
 * <p>{@link #add} and {@link #remove} run on the primary region's leader, like writes (elsewhere they
 * fail with {@link NotLeaderException} or {@link NotPrimaryException}): the change becomes an entry of
 * the cluster log, so every node of every region records it at the same index and keeps it across
 * restarts, and remote regions' shippers and failover use the new topology. They complete once the
 * change is recorded; the changed region's leader then adds the node to its Raft configuration (as a
 * voter, or as a learner for an observer) or removes it, retrying until it holds: a new voter counts
 * toward quorum only once it caught up. Watch {@link #raftVoters()} on that leader to see it done.
 * An observer receives the log and serves local reads ({@link Replicator#readStale}); it never votes,
 * never counts toward quorum and never leads.
 */
public final class ClusterMembers {

    private final ReplicatorContext ctx;
    private final NodeRuntime runtime;
    private final ErrorTranslation errors;

    ClusterMembers(ReplicatorContext ctx, NodeRuntime runtime, ErrorTranslation errors) {
        this.ctx = ctx;
        this.runtime = runtime;
        this.errors = errors;
    }

    /**
     * Records a new member of {@code node.region()} (or a new role for an existing one). Start the node
     * first with the full topology (listing it) and {@link ReplicatorContext#join(boolean) join(true)}.
     *
     * @param adminEndpoint its admin address for operators' tools, or "" / null
     */
    public CompletableFuture<Position> add(ClusterTopology.NodeSpec node, boolean observer, String adminEndpoint) {
        MemberChange change = new MemberChange(MemberChange.Op.ADD, node.nodeId(), node.region(), node.raftEndpoint(),
                node.aeronEndpoint(), adminEndpoint, observer);
        return propose(change);
    }

    /** Records that {@code nodeId} leaves the cluster; stop its process once this completes. */
    public CompletableFuture<Position> remove(String nodeId) {
        ClusterTopology.NodeSpec n = runtime.topology().node(nodeId).orElse(null);
        if (n == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("'" + nodeId
                    + "' is not a member; members: " + runtime.topology().allNodes().stream()
                    .map(ClusterTopology.NodeSpec::nodeId).toList()));
        }
        MemberTable table = runtime.memberTable();
        long voters = runtime.topology().nodes(n.region()).stream()
                .filter(m -> !table.isObserver(m.nodeId()) && !m.nodeId().equals(nodeId)).count();
        if (!table.isObserver(nodeId) && voters == 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("'" + nodeId
                    + "' is the last voter of region " + n.region() + ": add another first"));
        }
        return propose(new MemberChange(MemberChange.Op.REMOVE, nodeId, n.region(), n.raftEndpoint(),
                n.aeronEndpoint(), "", table.isObserver(nodeId)));
    }

    private CompletableFuture<Position> propose(MemberChange change) {
        try {
            List<MemberChange> next = new ArrayList<>(runtime.regionNode().clusterState().members());
            next.add(change);
            MemberTable.of(ctx.topology(), next); // the change must leave a valid topology
            checkNotMovedOrReused(change);
            runtime.admission().check();
        } catch (IllegalArgumentException | MeridianException e) {
            return CompletableFuture.failedFuture(e);
        }
        RegionNode region = runtime.regionNode();
        ClusterState state = region.clusterState();
        // Like a write: a switchover drains it, and it is acknowledged only while the lease holds.
        runtime.writeStarted();
        return region.propose(new RaftCommand.Member(state.epoch(), System.currentTimeMillis(), change))
                .whenComplete((o, e) -> runtime.writeFinished())
                .orTimeout(ctx.applyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((outcome, error) -> {
                    if (error != null) {
                        throw errors.translate(error, "membership change");
                    }
                    if (outcome instanceof Outcome.Applied applied) {
                        Position position = new Position(applied.epoch(), applied.index());
                        runtime.admission().checkAcknowledgement(position);
                        return position;
                    }
                    if (outcome instanceof Outcome.NotPrimary np) {
                        throw errors.notPrimary(np.state());
                    }
                    throw new IllegalStateException("unexpected outcome for a membership change: " + outcome);
                });
    }

    /** A node keeps its region and endpoints for life: re-add under a new id instead. */
    private void checkNotMovedOrReused(MemberChange change) {
        runtime.topology().node(change.nodeId()).ifPresent(n -> {
            if (!n.region().equals(change.region()) || !n.raftEndpoint().equals(change.raftEndpoint())) {
                throw new IllegalArgumentException("node '" + change.nodeId() + "' is already a member of region "
                        + n.region() + " at " + n.raftEndpoint() + "; a node cannot move: remove it and add a new one");
            }
        });
    }

    /** The topology this node knows now (startup topology plus recorded changes), observers included. */
    public ClusterTopology topology() {
        return runtime.topology();
    }

    /** Every member with its role, the primary region, the epoch and the fencing token, as this node knows them. */
    public Membership view() {
        ClusterState s = runtime.regionNode().clusterState();
        MemberTable table = runtime.memberTable();
        String leader = runtime.leaderNodeId();
        List<Member> members = new ArrayList<>();
        for (ClusterTopology.NodeSpec n : table.topology().allNodes()) {
            Member.Role role;
            if (table.isObserver(n.nodeId())) {
                role = Member.Role.OBSERVER;
            } else if (!n.region().equals(ctx.region())) {
                role = Member.Role.VOTER;
            } else {
                role = n.nodeId().equals(leader) ? Member.Role.LEADER : Member.Role.FOLLOWER;
            }
            members.add(new Member(n.nodeId(), n.region(), n.raftEndpoint(),
                    n.aeronEndpoint() == null ? "" : n.aeronEndpoint(),
                    table.adminEndpoints().getOrDefault(n.nodeId(), ""), role));
        }
        // Without a second region there is no lease: the leader alone is the fencing token's holder.
        boolean holds = runtime.multiRegion() == null || runtime.health().leaseHeld();
        String holder = holds && s.isPrimary(ctx.region()) ? leader : "";
        return new Membership(s.knownPrimary(), s.knownEpoch(), holder, members);
    }

    /** Admin addresses recorded with added members, by node id. */
    public Map<String, String> adminEndpoints() {
        return runtime.memberTable().adminEndpoints();
    }

    /** On this region's leader: the Raft voters' node ids (empty on other nodes). */
    public List<String> raftVoters() {
        return runtime.regionNode().raftPeers().stream().map(runtime::nodeIdOf).toList();
    }

    /** On this region's leader: the Raft learners' (observers') node ids (empty on other nodes). */
    public List<String> raftObservers() {
        return runtime.regionNode().raftLearners().stream().map(runtime::nodeIdOf).toList();
    }
}
