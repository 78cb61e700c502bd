package io.meridian.xregion;

import io.meridian.transport.Message;
import io.meridian.transport.RejectReason;

import java.util.ArrayList;
import java.util.List;

/**
 * Every decision of the receiving side, as a pure state machine: events in (a handshake, a batch's
 * index range, the outcome of a proposal, a leadership change), {@link ReceiverAction}s out. No
 * threads, no clock, no I/O: {@link Receiver} decodes frames, proposes entries and sends replies.
 *
 * <p>The one piece of state is the <em>frontier</em>: the highest index handed to Raft and not
 * known to have failed. A batch at or below it is already in the pipeline (its ack follows the
 * commit), so a resend after a lost ack is not proposed twice; a batch starting past frontier + 1
 * is a gap and answered with the index expected next. A failed or refused proposal pulls the
 * frontier back to what is applied, so the shipper's resend is proposed again.
 *
 * <p>Epochs: a batch or handshake from an older epoch than this region knows is refused with the
 * region's epoch and primary (the sender is deposed); a newer one fences this region if it is the
 * primary (someone else was promoted), before anything is proposed.
 */
final class ReceiverWindow {

    private long proposedUpTo;

    /** What the receiver knows of its region at the instant of an event. */
    record View(boolean leader, long appliedIndex, long appliedEpoch, long knownEpoch, String knownPrimary,
                boolean primaryHere, String leaderHint) { }

    /** What the I/O shell does, in order. */
    sealed interface ReceiverAction {
        /** Send this to the frame's sender. */
        record Reply(Message message) implements ReceiverAction { }

        /** This region learned a newer epoch from the frame: fence it (stop admitting writes). */
        record Fence(long epoch, String primaryRegion) implements ReceiverAction { }

        /** Decode the batch and propose its entries with index >= {@code fromIndex} as one Raft entry. */
        record Propose(long fromIndex) implements ReceiverAction { }
    }

    /** The outcome of a proposal, as the region reported it. */
    sealed interface Outcome {
        record Applied(long appliedIndex) implements Outcome { }

        record Gap(long expectedIndex) implements Outcome { }

        record Stale(long epoch, String primaryRegion) implements Outcome { }

        /** Not proposed or not committed (leadership lost, overload); {@code reason} is for the sender. */
        record Failed(String reason) implements Outcome { }
    }

    List<ReceiverAction> onHandshake(View v, long senderEpoch, String senderPrimary) {
        List<ReceiverAction> out = new ArrayList<>(2);
        if (!v.leader()) {
            out.add(reply(new Message.HandshakeReply(v.appliedIndex(), v.appliedEpoch(), v.knownEpoch(),
                    v.knownPrimary(), false, v.leaderHint())));
            return out;
        }
        if (senderEpoch < v.knownEpoch()) {
            out.add(reply(new Message.Reject(RejectReason.STALE_EPOCH, v.appliedIndex() + 1, v.knownEpoch(),
                    v.knownPrimary())));
            return out;
        }
        if (senderEpoch > v.knownEpoch()) {
            out.add(new ReceiverAction.Fence(senderEpoch, senderPrimary));
        }
        // A new session starts from what is applied: anything proposed before may have been lost.
        proposedUpTo = v.appliedIndex();
        out.add(reply(new Message.HandshakeReply(v.appliedIndex(), v.appliedEpoch(), v.knownEpoch(), v.knownPrimary(),
                true, "")));
        return out;
    }

    List<ReceiverAction> onBatch(View v, String senderRegion, long epoch, long firstIndex, long lastIndex) {
        List<ReceiverAction> out = new ArrayList<>(2);
        if (!v.leader()) {
            out.add(reply(new Message.Reject(RejectReason.NOT_LEADER, -1, v.knownEpoch(), v.leaderHint())));
            return out;
        }
        if (epoch < v.knownEpoch()) {
            out.add(reply(new Message.Reject(RejectReason.STALE_EPOCH, v.appliedIndex() + 1, v.knownEpoch(),
                    v.knownPrimary())));
            return out;
        }
        if (epoch > v.knownEpoch() && v.primaryHere()) {
            out.add(new ReceiverAction.Fence(epoch, senderRegion));
        }
        if (lastIndex <= v.appliedIndex()) {
            out.add(reply(new Message.Ack(v.appliedIndex(), v.knownEpoch())));
            return out;
        }
        long frontier = Math.max(v.appliedIndex(), proposedUpTo);
        if (lastIndex <= frontier) {
            return out; // already in the Raft pipeline; its ack follows the commit
        }
        if (firstIndex > frontier + 1) {
            out.add(reply(new Message.Reject(RejectReason.GAP, frontier + 1, v.knownEpoch(), "")));
            return out;
        }
        proposedUpTo = lastIndex;
        out.add(new ReceiverAction.Propose(frontier + 1));
        return out;
    }

    /** A batch proposed after {@link #onBatch} could not be decoded: nothing of it is in the pipeline. */
    void onMalformed(View v) {
        proposedUpTo = v.appliedIndex();
    }

    List<ReceiverAction> onProposalDone(View v, Outcome outcome) {
        List<ReceiverAction> out = new ArrayList<>(1);
        if (outcome instanceof Outcome.Applied a) {
            out.add(reply(new Message.Ack(a.appliedIndex(), v.knownEpoch())));
        } else if (outcome instanceof Outcome.Gap g) {
            proposedUpTo = g.expectedIndex() - 1;
            out.add(reply(new Message.Reject(RejectReason.GAP, g.expectedIndex(), v.knownEpoch(), "")));
        } else if (outcome instanceof Outcome.Stale st) {
            proposedUpTo = v.appliedIndex();
            out.add(reply(new Message.Reject(RejectReason.STALE_EPOCH, -1, st.epoch(), st.primaryRegion())));
        } else if (outcome instanceof Outcome.Failed f) {
            proposedUpTo = v.appliedIndex();
            out.add(v.leader()
                    ? reply(new Message.Reject(RejectReason.OVERLOADED, v.appliedIndex() + 1, v.knownEpoch(),
                            f.reason()))
                    : reply(new Message.Reject(RejectReason.NOT_LEADER, -1, v.knownEpoch(), v.leaderHint())));
        }
        return out;
    }

    /** Leadership moved: what this node proposed as leader says nothing about the new term's log. */
    void onLeadershipChange() {
        proposedUpTo = 0;
    }

    long frontier() {
        return proposedUpTo;
    }

    private static ReceiverAction reply(Message m) {
        return new ReceiverAction.Reply(m);
    }
}
