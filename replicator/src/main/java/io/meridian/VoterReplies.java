package io.meridian;

import io.meridian.failover.PingVerdict;
import io.meridian.raft.ClusterState;
import io.meridian.raft.Outcome;
import io.meridian.raft.RaftCommand;
import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.transport.RejectReason;
import io.meridian.xregion.CrossRegionAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a data region answers lease pings and promotion votes, with the one voter rule
 * ({@link io.meridian.failover.VoterState}) over the region's replicated state. Only the region's Raft
 * leader answers, so every answer reflects what the region as a whole has agreed (a follower could be
 * behind). A vote is decided by committing it through Raft: the rule runs at the vote's place in the
 * log on every node, so the promise is durable before the answer leaves, and of two candidates asking
 * for one epoch only the first to commit is granted.
 */
final class VoterReplies {

    private static final Logger LOG = LoggerFactory.getLogger(VoterReplies.class);

    private VoterReplies() {
    }

    static void answerPing(FailoverCoordinator coordinator, NodeRuntime runtime, CrossRegionAgent agent, Envelope env,
                           Message.Ping ping) {
        ClusterState s = runtime.regionNode().clusterState();
        if (ping.epoch() > s.knownEpoch()) {
            // Pings come only from a primary whose region committed that epoch: an established fact, which
            // fences this region if it was primary. Followers learn it too, so their health says so.
            coordinator.onHigherEpoch(ping.epoch(), ping.primaryRegion());
        }
        if (!runtime.regionNode().isLeader()) {
            return;
        }
        PingVerdict verdict = s.voter().onPing(ping.epoch(), ping.primaryRegion());
        switch (verdict.kind()) {
            case VOUCH -> agent.enqueue(env.senderEndpoint(), new Message.Pong(ping.epoch(), ping.primaryRegion(), ping.sentNanos()));
            case REFUSE_STALE -> agent.enqueue(env.senderEndpoint(),
                    new Message.Reject(RejectReason.STALE_EPOCH, -1, s.knownEpoch(), s.knownPrimary()));
            case REFUSE_PROMISED -> LOG.debug("not vouching for {} (epoch {}): epoch {} promised to {}",
                    ping.primaryRegion(), ping.epoch(), s.votedEpoch(), s.votedFor());
        }
    }

    /** @param mayYield our own candidacy for that epoch, if any, has no majority yet and may yield to a rival */
    static void answerVote(NodeRuntime runtime, CrossRegionAgent agent, Envelope env, Message.VoteRequest vote,
                           boolean mayYield) {
        if (!runtime.regionNode().isLeader()) {
            return;
        }
        runtime.regionNode().propose(new RaftCommand.Vote(vote.epoch(), vote.candidate(), mayYield)).whenComplete((o, err) -> {
            if (!(o instanceof Outcome.Vote v)) {
                // Not decided (leader change, timeout): stay silent, the candidate asks again.
                return;
            }
            ClusterState now = v.state();
            String holder = now.votedEpoch() == vote.epoch() ? now.votedFor() : "";
            LOG.info("{} vote for {} in epoch {}: {}", v.granted() ? "granted" : "refused", vote.candidate(),
                    vote.epoch(), v.reason());
            agent.enqueue(env.senderEndpoint(), new Message.VoteReply(vote.epoch(), v.granted(), now.knownEpoch(),
                    now.knownPrimary(), holder));
        });
    }
}
