package io.meridian;

import io.meridian.raft.ClusterState;

/**
 * Which node leads the primary region, as far as this node can tell: its own region's Raft leader
 * when its region is the primary, otherwise the node that last pinged it on behalf of the primary
 * (only the primary's leader pings other regions, every lease/3). Forwarding sends there, and
 * refusals name it.
 */
final class PrimaryLeaders {

    /** The primary region's leader: node id and Aeron endpoint; both "" when unknown. */
    record Target(String region, long epoch, String nodeId, String endpoint) {
        boolean known() {
            return !endpoint.isEmpty();
        }
    }

    private record Contact(String region, String nodeId, String endpoint, long atNanos) { }

    /** A ping older than this says nothing about who leads now: pings come every lease/3. */
    private final long contactValidNanos;

    private final ReplicatorContext ctx;
    private final NodeRuntime runtime;
    private volatile Contact contact;

    PrimaryLeaders(ReplicatorContext ctx, NodeRuntime runtime) {
        this.ctx = ctx;
        this.runtime = runtime;
        this.contactValidNanos = Math.max(2_000_000_000L, 3 * ctx.crossRegion().lease().toNanos());
    }

    /** The primary region's leader pinged this node (agent thread). */
    void onPrimaryContact(String region, String nodeId, String endpoint, long nowNanos) {
        contact = new Contact(region, nodeId, endpoint, nowNanos);
    }

    Target locate() {
        ClusterState s = runtime.regionNode().clusterState();
        String primary = s.knownPrimary();
        if (primary.equals(ctx.region())) {
            String leader = runtime.leaderNodeId();
            String endpoint = aeronEndpointOf(leader);
            return new Target(primary, s.knownEpoch(), endpoint.isEmpty() ? "" : leader, endpoint);
        }
        Contact c = contact;
        if (c != null && c.region().equals(primary) && System.nanoTime() - c.atNanos() < contactValidNanos) {
            return new Target(primary, s.knownEpoch(), c.nodeId(), c.endpoint());
        }
        return new Target(primary, s.knownEpoch(), "", "");
    }

    /** A node's Aeron endpoint in the live topology (members added since start included), "" if unknown. */
    String aeronEndpointOf(String nodeId) {
        if (nodeId.isEmpty()) {
            return "";
        }
        String endpoint = runtime.topology().node(nodeId).map(ClusterTopology.NodeSpec::aeronEndpoint).orElse("");
        return endpoint == null ? "" : endpoint;
    }

    /**
     * The refusal a client sees when this node cannot take its write and does not forward it: a
     * secondary's follower names the primary region and its leader (not its own region's leader,
     * which would refuse too), the primary's follower names its leader.
     */
    MeridianException refusal(MeridianException e) {
        ClusterState s = runtime.regionNode().clusterState();
        if (e instanceof NotPrimaryException || (e instanceof NotLeaderException && !s.knownPrimary().equals(ctx.region()))) {
            Target t = locate();
            long epoch = s.knownEpoch();
            return new NotPrimaryException("region " + ctx.region() + " is not primary; primary is " + t.region()
                    + " (epoch " + epoch + ")" + (t.known() ? ", led by " + t.nodeId() + " at " + t.endpoint()
                    : ", its leader is unknown here"), t.region(), epoch, t.nodeId(), t.endpoint());
        }
        return e;
    }
}
