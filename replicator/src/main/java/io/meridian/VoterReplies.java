package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.raft.RaftCommand;
import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.transport.RejectReason;
import io.meridian.xregion.CrossRegionAgent;

/**
 * How a data region answers lease pings and promotion votes. Only the region's Raft leader
 * answers, from the region's replicated state, so every answer reflects what the region as a whole
 * has agreed (a follower could be behind). A vote is granted only after the region has recorded the
 * new epoch through Raft: from then on it will refuse to vouch for the old primary.
 */
final class VoterReplies {

    private VoterReplies() {
    }

    static void answerPing(FailoverCoordinator coordinator, NodeRuntime runtime, CrossRegionAgent agent, Envelope env,
                           Message.Ping ping) {
        if (!runtime.regionNode().isLeader()) {
            return;
        }
        ClusterState s = runtime.regionNode().clusterState();
        long known = Math.max(s.epoch(), s.fencedEpoch());
        String knownPrimary = s.isFenced() ? s.fencedPrimary() : s.primaryRegion();
        if (ping.epoch() < known || (ping.epoch() == known && !ping.primaryRegion().equals(knownPrimary))) {
            agent.enqueue(env.senderEndpoint(), new Message.Reject(RejectReason.STALE_EPOCH, -1, known, knownPrimary));
            return;
        }
        if (ping.epoch() > known) {
            coordinator.onHigherEpoch(ping.epoch(), ping.primaryRegion());
        }
        agent.enqueue(env.senderEndpoint(), new Message.Pong(ping.epoch(), ping.primaryRegion(), ping.sentNanos()));
    }

    static void answerVote(FailoverCoordinator coordinator, NodeRuntime runtime, CrossRegionAgent agent, Envelope env,
                           Message.VoteRequest vote) {
        if (!runtime.regionNode().isLeader()) {
            return;
        }
        ClusterState s = runtime.regionNode().clusterState();
        long known = Math.max(s.epoch(), s.fencedEpoch());
        String knownPrimary = s.isFenced() ? s.fencedPrimary() : s.primaryRegion();
        if (vote.epoch() == known && vote.candidate().equals(knownPrimary)) {
            agent.enqueue(env.senderEndpoint(), new Message.VoteReply(vote.epoch(), true, known, knownPrimary));
            return;
        }
        if (vote.epoch() <= known) {
            agent.enqueue(env.senderEndpoint(), new Message.VoteReply(vote.epoch(), false, known, knownPrimary));
            return;
        }
        coordinator.onHigherEpoch(vote.epoch(), vote.candidate());
        runtime.regionNode().propose(new RaftCommand.Fence(vote.epoch(), vote.candidate())).whenComplete((o, err) -> {
            boolean granted = err == null;
            ClusterState now = runtime.regionNode().clusterState();
            agent.enqueue(env.senderEndpoint(), new Message.VoteReply(vote.epoch(), granted,
                    Math.max(now.epoch(), now.fencedEpoch()), now.isFenced() ? now.fencedPrimary() : now.primaryRegion()));
        });
    }
}
