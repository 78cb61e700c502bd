package io.meridian;

import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.wal.SessionTag;
import io.meridian.xregion.CrossRegionAgent;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Forwarding to the primary region's leader, both ends of the hop. The hop is a
 * {@link Message.ForwardRequest} over the cross-region transport, so it is authenticated like every
 * other frame (HMAC-SHA256 with the cluster secret, replay-guarded); the leader answers with a
 * {@link Message.ForwardReply}.
 *
 * <p>Outcomes are never guessed: a refusal by the leader is relayed as the same refusal (not
 * applied); a request that got no answer in {@code applyTimeout} is an {@link OutcomeUnknownException}
 * (it may have been applied). A node never forwards a request it was forwarded, so there are no loops;
 * a leader that moved is followed once, using the hint in the refusal.
 */
final class WriteForwarder {

    /** Forwarded requests awaiting an answer at once, at most (beyond: {@link OverloadedException}). */
    static final int MAX_PENDING = 4096;

    private record Pending(CompletableFuture<Position> future, Message.ForwardRequest request, String to,
                           long startNanos, boolean redirected) { }

    private final ReplicatorContext ctx;
    private final LocalWrites writes;
    private final PrimaryLeaders leaders;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder served = new LongAdder();
    private final LongAdder latencyTotal = new LongAdder();
    private final LongAdder latencyCount = new LongAdder();
    private final AtomicLong latencyMax = new AtomicLong();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private volatile CrossRegionAgent agent;

    WriteForwarder(ReplicatorContext ctx, LocalWrites writes, PrimaryLeaders leaders) {
        this.ctx = ctx;
        this.writes = writes;
        this.leaders = leaders;
        ForwardingStats.REASONS.forEach(r -> failures.put(r, new LongAdder()));
    }

    void bind(CrossRegionAgent agent) {
        this.agent = agent;
    }

    /** Forwards a write ({@code kind} {@link Message#FORWARD_WRITE}) or a read-index request. */
    CompletableFuture<Position> forward(int kind, byte[] payload, SessionTag session) {
        forwarded.increment();
        PrimaryLeaders.Target target = leaders.locate();
        if (!target.known() || agent == null) {
            fail("no_leader");
            return CompletableFuture.failedFuture(new NotPrimaryException("cannot forward: the leader of primary region "
                    + target.region() + " is not known on node " + ctx.nodeId() + " yet; nothing was sent",
                    target.region(), target.epoch()));
        }
        int frameBody = 8 + 1 + 2 + ctx.self().aeronEndpoint().length() * 3 + 2 + WriteOptions.MAX_ID_BYTES + 2 + 8 + 4;
        if (payload.length + frameBody > io.meridian.transport.FrameLimits.maxBatchBytes(ctx.shipping().termLength())) {
            // Batches are sized for one entry of maxPayloadBytes; a forward adds a little more around it.
            return CompletableFuture.failedFuture(new IllegalArgumentException("a payload of " + payload.length
                    + " bytes is too large to forward in one frame; send it to the primary's leader directly"));
        }
        if (pending.size() >= MAX_PENDING) {
            fail("outbox_full");
            return CompletableFuture.failedFuture(new OverloadedException(MAX_PENDING
                    + " forwarded requests already await an answer on node " + ctx.nodeId()));
        }
        long id = ids.incrementAndGet();
        Message.ForwardRequest request = new Message.ForwardRequest(id, kind, ctx.self().aeronEndpoint(),
                session == null ? "" : session.clientId(), session == null ? 0 : session.sequence(), payload);
        CompletableFuture<Position> future = new CompletableFuture<>();
        long start = System.nanoTime();
        pending.put(id, new Pending(future, request, target.nodeId(), start, false));
        if (!agent.enqueue(target.endpoint(), request)) {
            pending.remove(id);
            fail("outbox_full");
            return CompletableFuture.failedFuture(new OverloadedException("cross-region outbox of node "
                    + ctx.nodeId() + " is full; the request was not forwarded"));
        }
        String what = kind == Message.FORWARD_WRITE ? "forwarded write" : "forwarded read index";
        return future.orTimeout(ctx.applyTimeout().toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                Pending p = pending.remove(id);
                fail("timeout");
                throw new OutcomeUnknownException(what + " to " + (p == null ? target.nodeId() : p.to())
                        + " got no answer within " + ctx.applyTimeout() + "; its outcome is unknown");
            }
            throw cause instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(cause);
        });
    }

    /** The answer to a request this node forwarded (agent thread). */
    void onReply(Envelope env, Message.ForwardReply r) {
        Pending p = pending.get(r.requestId());
        if (p == null) {
            return; // timed out already: the caller was told the outcome is unknown
        }
        ForwardStatus status = ForwardStatus.of(r.status());
        if ((status == ForwardStatus.NOT_LEADER || status == ForwardStatus.NOT_PRIMARY) && !p.redirected()
                && !r.leaderNode().isEmpty() && !r.leaderNode().equals(env.senderNode())) {
            String endpoint = leaders.aeronEndpointOf(r.leaderNode());
            if (!endpoint.isEmpty() && pending.replace(r.requestId(), p,
                    new Pending(p.future(), p.request(), r.leaderNode(), p.startNanos(), true))) {
                // The leader moved since we last heard: follow the hint once. The refused attempt applied nothing.
                agent.enqueue(endpoint, p.request());
                return;
            }
        }
        if (!pending.remove(r.requestId(), p)) {
            return;
        }
        long took = System.nanoTime() - p.startNanos();
        latencyTotal.add(took);
        latencyCount.increment();
        latencyMax.accumulateAndGet(took, Math::max);
        if (status == ForwardStatus.OK) {
            succeeded.increment();
            p.future().complete(new Position(r.epoch(), r.index()));
            return;
        }
        fail(status.refused() ? "refused" : "unknown");
        p.future().completeExceptionally(status.toException(r, env.senderNode(), leaders.locate()));
    }

    /** A request another node forwarded to this one (agent thread): taken here or refused, never forwarded on. */
    void onRequest(Envelope env, Message.ForwardRequest r) {
        served.increment();
        CompletableFuture<Position> result;
        try {
            if (r.kind() == Message.FORWARD_READ_INDEX) {
                result = writes.readIndex();
            } else {
                if (r.payload().length > ctx.maxPayloadBytes()) {
                    throw new IllegalArgumentException("payload of " + r.payload().length
                            + " bytes exceeds maxPayloadBytes " + ctx.maxPayloadBytes());
                }
                SessionTag session = r.sessionId().isEmpty() ? null : new SessionTag(r.sessionId(), r.sequence());
                writes.admit();
                result = writes.propose(r.payload(), session);
            }
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        String replyTo = r.replyTo().isEmpty() ? env.senderEndpoint() : r.replyTo();
        result.whenComplete((position, error) -> agent.enqueue(replyTo, reply(r.requestId(), position, error)));
    }

    private Message.ForwardReply reply(long requestId, Position position, Throwable error) {
        if (error == null) {
            return new Message.ForwardReply(requestId, ForwardStatus.OK.code, position.epoch(), position.index(), "", "",
                    "");
        }
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        ForwardStatus status = ForwardStatus.of(cause);
        PrimaryLeaders.Target t = leaders.locate();
        long epochOrSequence = cause instanceof StaleSessionException st ? st.lastSequence() : 0;
        long epoch = cause instanceof NotPrimaryException np ? np.epoch()
                : cause instanceof FencedException f ? f.knownEpoch()
                : cause instanceof LeaseUnavailableException l ? l.epoch() : 0;
        String message = String.valueOf(cause.getMessage());
        if (message.length() > 1000) {
            message = message.substring(0, 1000);
        }
        return new Message.ForwardReply(requestId, status.code, epoch, epochOrSequence, t.region(), t.nodeId(), message);
    }

    private void fail(String reason) {
        failures.get(reason).increment();
    }

    ForwardingStats stats() {
        Map<String, Long> f = new java.util.LinkedHashMap<>();
        ForwardingStats.REASONS.forEach(r -> f.put(r, failures.get(r).sum()));
        return new ForwardingStats(forwarded.sum(), succeeded.sum(), latencyTotal.sum(), latencyCount.sum(),
                latencyMax.get(), f, served.sum());
    }
}
