package io.meridian.xregion;

import io.meridian.raft.ClusterState;
import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.wal.WalEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving side's I/O shell around a {@link ReceiverWindow}, which makes every decision: this
 * class decodes batches the window wants proposed, proposes them as one Raft entry in the local
 * region, and sends the window's replies. Runs on the agent thread. Proposal outcomes arrive on
 * JRaft's thread and are queued for the agent ({@link #drainCompletions}), so the window is only
 * ever touched by one thread.
 */
final class Receiver {

    private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);

    private final LocalRegion local;
    private final BatchCodec codec;
    private final Outbox outbox;
    private final Runnable wake;
    private final ReceiverWindow window = new ReceiverWindow();
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final AtomicLong malformedBatches = new AtomicLong();
    private final Map<String, LagAnatomy> anatomy = new ConcurrentHashMap<>();

    /** Queues a send to run on the agent thread. */
    interface Outbox {
        void send(String endpoint, Message message);
    }

    private record Completion(String replyTo, ReceiverWindow.Outcome outcome) { }

    Receiver(LocalRegion local, ShippingConfig config, Outbox outbox, Runnable wake) {
        this.local = local;
        this.codec = new BatchCodec(config);
        this.outbox = outbox;
        this.wake = wake;
    }

    void onHandshake(Envelope env, Message.Handshake h) {
        ReceiverWindow.View v = view();
        if (v.leader() && h.epoch() < v.knownEpoch()) {
            LOG.warn("handshake from {}/{} with stale epoch {} (ours {}): refused", env.senderRegion(),
                    env.senderNode(), h.epoch(), v.knownEpoch());
        }
        act(env.senderEndpoint(), window.onHandshake(v, h.epoch(), h.primaryRegion()), null, env, 0, 0);
    }

    void onBatch(Envelope env, Message.Batch batch) {
        long receivedNanos = System.nanoTime();
        long receivedMicros = LagAnatomy.wallMicros();
        List<ReceiverWindow.ReceiverAction> actions = window.onBatch(view(), env.senderRegion(), batch.epoch(),
                batch.firstIndex(), batch.lastIndex());
        act(env.senderEndpoint(), actions, batch, env, receivedNanos, receivedMicros);
    }

    private void act(String replyTo, List<ReceiverWindow.ReceiverAction> actions, Message.Batch batch, Envelope env,
                     long receivedNanos, long receivedMicros) {
        for (ReceiverWindow.ReceiverAction a : actions) {
            if (a instanceof ReceiverWindow.ReceiverAction.Reply r) {
                outbox.send(replyTo, r.message());
            } else if (a instanceof ReceiverWindow.ReceiverAction.Fence f) {
                local.onHigherEpoch(f.epoch(), f.primaryRegion());
            } else if (a instanceof ReceiverWindow.ReceiverAction.Propose p) {
                propose(replyTo, batch, p.fromIndex(), env, receivedNanos, receivedMicros);
            }
        }
    }

    private void propose(String replyTo, Message.Batch batch, long fromIndex, Envelope env, long receivedNanos,
                         long receivedMicros) {
        List<WalEntry> entries;
        try {
            entries = codec.decode(batch);
        } catch (MalformedBatchException e) {
            window.onMalformed(view());
            malformedBatches.incrementAndGet();
            LOG.warn("malformed batch {}..{} from {}/{} dropped: {}", batch.firstIndex(), batch.lastIndex(),
                    env.senderRegion(), env.senderNode(), e.getMessage());
            return;
        }
        List<WalEntry> fresh = new ArrayList<>(entries.size());
        for (WalEntry e : entries) {
            if (e.index() >= fromIndex) {
                fresh.add(e);
            }
        }
        long proposedMillis = entries.get(0).timestampMillis();
        LagAnatomy stages = anatomy.computeIfAbsent(env.senderRegion(), r -> new LagAnatomy());
        local.proposeBatch(batch.epoch(), fresh).whenComplete((outcome, error) -> {
            // JRaft's thread: record the timing now, decide on the agent thread.
            ReceiverWindow.Outcome o;
            if (error != null) {
                o = new ReceiverWindow.Outcome.Failed(error.toString());
            } else if (outcome instanceof LocalRegion.Applied a) {
                stages.record(proposedMillis, batch.readMicros(), batch.sentMicros(), receivedMicros, receivedNanos,
                        a.applyStartNanos(), System.nanoTime());
                o = new ReceiverWindow.Outcome.Applied(a.appliedIndex());
            } else if (outcome instanceof LocalRegion.Gap g) {
                o = new ReceiverWindow.Outcome.Gap(g.expectedIndex());
            } else if (outcome instanceof LocalRegion.Stale st) {
                o = new ReceiverWindow.Outcome.Stale(st.epoch(), st.primaryRegion());
            } else {
                o = new ReceiverWindow.Outcome.Failed(((LocalRegion.Failed) outcome).reason());
            }
            completions.offer(new Completion(replyTo, o));
            wake.run();
        });
    }

    /** Agent thread: hands proposal outcomes to the window and sends its replies. */
    int drainCompletions() {
        int work = 0;
        Completion c;
        while ((c = completions.poll()) != null) {
            if (c.outcome() instanceof ReceiverWindow.Outcome.Failed f) {
                LOG.debug("batch proposal failed: {}", f.reason());
            }
            act(c.replyTo(), window.onProposalDone(view(), c.outcome()), null, null, 0, 0);
            work++;
        }
        return work;
    }

    void onLeadershipChange() {
        window.onLeadershipChange();
    }

    private ReceiverWindow.View view() {
        ClusterState s = local.state();
        return new ReceiverWindow.View(local.isLeader(), s.appliedIndex(), s.appliedEpoch(), knownEpoch(s),
                knownPrimary(s), s.isPrimary(local.regionName()), local.leaderAeronEndpoint());
    }

    static long knownEpoch(ClusterState s) {
        return Math.max(s.epoch(), s.fencedEpoch());
    }

    static String knownPrimary(ClusterState s) {
        return s.isFenced() ? s.fencedPrimary() : s.primaryRegion();
    }

    /** Lag anatomy per origin region, for batches this node applied as its region's leader. */
    Map<String, LagAnatomy> anatomy() {
        return anatomy;
    }

    long malformedBatches() {
        return malformedBatches.get();
    }
}
