package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.xregion.CrossRegionAgent;

/**
 * How a follower of the primary region learns whether its leader holds the lease, so that its
 * {@code /health} does not report a region as serving that has no lease (cut off, or deposed while
 * paused and not yet told). The follower pings its own leader every lease/3; the leader answers with a
 * Pong only while it holds the lease. The follower dates the answer by the time <em>it</em> sent the
 * ping, on its own clock, so an answer that waited in a buffer (the follower was paused, say) proves
 * nothing newer than its ping, and a follower that was paused longer than the lease knows nothing.
 *
 * <p>Only health uses this: followers refuse writes and linearizable reads whatever it says. The view
 * can lag the leader by up to one lease (the leader may lose its lease just after answering).
 */
final class RegionLeaseProbe {

    private final NodeRuntime runtime;
    private final String region;
    private final long leaseNanos;
    private final long intervalNanos;
    private long nextPingNanos;
    private volatile boolean confirmed;
    private volatile long confirmedSentNanos;

    RegionLeaseProbe(NodeRuntime runtime, long leaseNanos) {
        this.runtime = runtime;
        this.region = runtime.ctx().region();
        this.leaseNanos = leaseNanos;
        this.intervalNanos = Math.max(1, leaseNanos / 3);
        // nanoTime values may be negative: times are only ever compared by subtraction from a real one.
        this.nextPingNanos = System.nanoTime();
    }

    /** Agent thread: on a follower of the primary region, pings its leader every lease/3. */
    int doWork(CrossRegionAgent agent, long nowNanos) {
        if (leaseNanos <= 0 || runtime.regionNode().isLeader() || nowNanos - nextPingNanos < 0) {
            return 0;
        }
        nextPingNanos = nowNanos + intervalNanos;
        ClusterState s = runtime.regionNode().clusterState();
        String leader = runtime.leaderNodeId();
        if (!s.isPrimary(region) || leader.isEmpty()) {
            return 0;
        }
        var spec = runtime.topology().node(leader);
        if (spec.isEmpty() || spec.get().aeronEndpoint() == null) {
            return 0;
        }
        agent.enqueue(spec.get().aeronEndpoint(), new Message.Ping(s.epoch(), region, nowNanos));
        return 1;
    }

    /** True when {@code env} comes from this node's own region: a probe or its answer, not a voter's business. */
    boolean isOwnRegion(Envelope env) {
        return region.equals(env.senderRegion());
    }

    /** On the leader: answers a follower's probe only while the lease holds and the epoch is the current one. */
    void answer(CrossRegionAgent agent, Envelope env, Message.Ping ping, boolean leaseHeldNow) {
        ClusterState s = runtime.regionNode().clusterState();
        if (runtime.regionNode().isLeader() && leaseHeldNow && s.isPrimary(region) && ping.epoch() == s.epoch()
                && region.equals(ping.primaryRegion())) {
            agent.enqueue(env.senderEndpoint(), new Message.Pong(ping.epoch(), region, ping.sentNanos()));
        }
    }

    /** On a follower: the leader confirmed its lease for the probe sent at {@code echoedSentNanos}. */
    void onPong(Message.Pong pong, long nowNanos) {
        long sent = pong.echoedSentNanos();
        if (pong.epoch() != runtime.regionNode().clusterState().epoch() || sent - nowNanos > 0) {
            return; // another epoch's answer, or a bogus echo from the future
        }
        if (!confirmed || sent - confirmedSentNanos > 0) {
            confirmedSentNanos = sent;
            confirmed = true;
        }
    }

    /** On a follower: whether its leader confirmed holding the lease for a probe sent within the last lease. */
    boolean leaderLeaseConfirmedAt(long nowNanos) {
        return confirmed && nowNanos - confirmedSentNanos < leaseNanos;
    }
}
