package io.meridian.xregion;

import io.meridian.raft.ClusterState;
import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.transport.RejectReason;
import io.meridian.wal.WalEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving side: answers handshakes, checks each batch (leader, epoch, contiguity) and proposes
 * it as one Raft entry in the local region; acks after commit. Followers answer with a leader hint.
 * Runs on the agent thread; Raft completions come back on JRaft's thread and are handed to the
 * agent's outbox, so all sends happen on one thread.
 */
final class Receiver {

    private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);

    private final LocalRegion local;
    private final BatchCodec codec;
    private final Outbox outbox;
    private final AtomicLong malformedBatches = new AtomicLong();
    private final java.util.Map<String, LagAnatomy> anatomy = new java.util.concurrent.ConcurrentHashMap<>();
    // Highest index handed to Raft and not known to have failed: a resent batch already in the Raft
    // pipeline is not proposed twice (the state machine would skip it anyway, this saves the work).
    private volatile long proposedUpTo;

    /** Queues a send to run on the agent thread. */
    interface Outbox {
        void send(String endpoint, Message message);
    }

    Receiver(LocalRegion local, ShippingConfig config, Outbox outbox) {
        this.local = local;
        this.codec = new BatchCodec(config);
        this.outbox = outbox;
    }

    void onHandshake(Envelope env, Message.Handshake h) {
        ClusterState s = local.state();
        String replyTo = env.senderEndpoint();
        if (!local.isLeader()) {
            outbox.send(replyTo, new Message.HandshakeReply(s.appliedIndex(), s.appliedEpoch(), knownEpoch(s),
                    knownPrimary(s), false, local.leaderAeronEndpoint()));
            return;
        }
        if (h.epoch() < knownEpoch(s)) {
            LOG.warn("handshake from {}/{} with stale epoch {} (ours {}): refused", env.senderRegion(),
                    env.senderNode(), h.epoch(), knownEpoch(s));
            outbox.send(replyTo, new Message.Reject(RejectReason.STALE_EPOCH, s.appliedIndex() + 1, knownEpoch(s),
                    knownPrimary(s)));
            return;
        }
        if (h.epoch() > knownEpoch(s)) {
            local.onHigherEpoch(h.epoch(), h.primaryRegion());
        }
        proposedUpTo = s.appliedIndex();
        outbox.send(replyTo, new Message.HandshakeReply(s.appliedIndex(), s.appliedEpoch(), knownEpoch(s),
                knownPrimary(s), true, ""));
    }

    void onBatch(Envelope env, Message.Batch batch) {
        long receivedNanos = System.nanoTime();
        long receivedMicros = LagAnatomy.wallMicros();
        ClusterState s = local.state();
        String replyTo = env.senderEndpoint();
        if (!local.isLeader()) {
            outbox.send(replyTo, new Message.Reject(RejectReason.NOT_LEADER, -1, knownEpoch(s),
                    local.leaderAeronEndpoint()));
            return;
        }
        if (batch.epoch() < knownEpoch(s)) {
            outbox.send(replyTo, new Message.Reject(RejectReason.STALE_EPOCH, s.appliedIndex() + 1, knownEpoch(s),
                    knownPrimary(s)));
            return;
        }
        if (batch.epoch() > knownEpoch(s) && s.isPrimary(local.regionName())) {
            local.onHigherEpoch(batch.epoch(), env.senderRegion());
        }
        if (batch.lastIndex() <= s.appliedIndex()) {
            outbox.send(replyTo, new Message.Ack(s.appliedIndex(), knownEpoch(s)));
            return;
        }
        long frontier = Math.max(s.appliedIndex(), proposedUpTo);
        if (batch.lastIndex() <= frontier) {
            return; // already in the Raft pipeline; its ack follows the commit
        }
        if (batch.firstIndex() > frontier + 1) {
            outbox.send(replyTo, new Message.Reject(RejectReason.GAP, frontier + 1, knownEpoch(s), ""));
            return;
        }
        List<WalEntry> entries;
        try {
            entries = codec.decode(batch);
        } catch (MalformedBatchException e) {
            malformedBatches.incrementAndGet();
            LOG.warn("malformed batch {}..{} from {}/{} dropped: {}", batch.firstIndex(), batch.lastIndex(),
                    env.senderRegion(), env.senderNode(), e.getMessage());
            return;
        }
        List<WalEntry> fresh = new ArrayList<>(entries.size());
        for (WalEntry e : entries) {
            if (e.index() > frontier) {
                fresh.add(e);
            }
        }
        proposedUpTo = batch.lastIndex();
        long proposedMillis = entries.get(0).timestampMillis();
        LagAnatomy stages = anatomy.computeIfAbsent(env.senderRegion(), r -> new LagAnatomy());
        local.proposeBatch(batch.epoch(), fresh).whenComplete((outcome, error) -> {
            if (error != null) {
                onProposalFailed(replyTo, error.toString());
                return;
            }
            if (outcome instanceof LocalRegion.Applied a) {
                outbox.send(replyTo, new Message.Ack(a.appliedIndex(), knownEpoch(local.state())));
                stages.record(proposedMillis, batch.readMicros(), batch.sentMicros(), receivedMicros, receivedNanos,
                        a.applyStartNanos(), System.nanoTime());
            } else if (outcome instanceof LocalRegion.Gap g) {
                proposedUpTo = g.expectedIndex() - 1;
                outbox.send(replyTo, new Message.Reject(RejectReason.GAP, g.expectedIndex(),
                        knownEpoch(local.state()), ""));
            } else if (outcome instanceof LocalRegion.Stale st) {
                proposedUpTo = local.state().appliedIndex();
                outbox.send(replyTo, new Message.Reject(RejectReason.STALE_EPOCH, -1, st.epoch(), st.primaryRegion()));
            } else if (outcome instanceof LocalRegion.Failed f) {
                onProposalFailed(replyTo, f.reason());
            }
        });
    }

    private void onProposalFailed(String replyTo, String reason) {
        ClusterState s = local.state();
        proposedUpTo = s.appliedIndex();
        LOG.debug("batch proposal failed: {}", reason);
        if (!local.isLeader()) {
            outbox.send(replyTo, new Message.Reject(RejectReason.NOT_LEADER, -1, knownEpoch(s), local.leaderAeronEndpoint()));
        } else {
            outbox.send(replyTo, new Message.Reject(RejectReason.OVERLOADED, s.appliedIndex() + 1, knownEpoch(s), reason));
        }
    }

    void onLeadershipChange() {
        proposedUpTo = 0;
    }

    static long knownEpoch(ClusterState s) {
        return Math.max(s.epoch(), s.fencedEpoch());
    }

    static String knownPrimary(ClusterState s) {
        return s.isFenced() ? s.fencedPrimary() : s.primaryRegion();
    }

    /** Lag anatomy per origin region, for batches this node applied as its region's leader. */
    java.util.Map<String, LagAnatomy> anatomy() {
        return anatomy;
    }

    long malformedBatches() {
        return malformedBatches.get();
    }
}
