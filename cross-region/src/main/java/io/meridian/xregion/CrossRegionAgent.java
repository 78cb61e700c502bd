package io.meridian.xregion;

import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.transport.MessageListener;
import io.meridian.transport.Transport;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The cross-region duty cycle of one node (an Agrona {@link Agent}): poll the transport, dispatch
 * inbound messages to the receiver, the shippers or the failover listener, run each shipper, and
 * flush the outbox of sends queued from other threads. All transport sends happen on this thread.
 *
 * <p>The agent never dies of one component's fault: every stage of the duty cycle (outbox, poll,
 * each inbound message, each shipper, the failover timers) catches its own exceptions, counts them
 * by reason in a {@link FaultLog} (rate-limited logging) and carries on; a failing shipper backs off
 * on its own while the other remotes keep shipping. When the transport rebuilt itself (e.g. its
 * Aeron client was closed after a long pause) every shipper starts over with a handshake.
 *
 * <p>The outbox is bounded ({@link ShippingConfig#outboxCapacity()}). When it is full a new message
 * is dropped and counted ({@link FaultLog#OUTBOX_FULL}); the same happens to a message that could
 * not be sent for 1 s. That is safe because everything queued here is retried by its protocol: acks
 * and rejects are re-earned by the shipper's resend after its ack timeout, pings repeat every
 * lease/3, votes and image requests are re-sent by their timers.
 */
public final class CrossRegionAgent implements Agent {

    private static final Logger LOG = LoggerFactory.getLogger(CrossRegionAgent.class);
    private static final int POLL_LIMIT = 64;
    private static final long STATUS_PERIOD_NANOS = 1_000_000;
    private static final long OUTBOX_RETRY_NANOS = 1_000_000_000L;
    private static final long TIMER_BACKOFF_MIN_NANOS = 10_000_000L;
    private static final long TIMER_BACKOFF_MAX_NANOS = 1_000_000_000L;

    private final LocalRegion local;
    private final Transport transport;
    private final Function<String, String> endpointMapper;
    private final CrossRegionListener listener;
    private final Receiver receiver;
    private final Map<String, Shipper> shippers = new LinkedHashMap<>();
    /** The shippers as an array: the duty cycle walks it without allocating an iterator. */
    private final Shipper[] shipperCycle;
    private final ManyToOneConcurrentArrayQueue<Outgoing> outbox;
    private final int outboxCapacity;
    private final ArrayList<Outgoing> retry = new ArrayList<>();
    private final FaultLog faults = new FaultLog();
    private final RetryBackoff timerBackoff = new RetryBackoff(TIMER_BACKOFF_MIN_NANOS, TIMER_BACKOFF_MAX_NANOS);
    private long transportGeneration;
    private java.util.function.Supplier<Map<String, List<String>>> remoteEndpoints;
    private Map<String, List<String>> appliedRemoteEndpoints;
    private volatile boolean wasLeader;
    private volatile List<ShipperStatus> statusView = List.of();
    private long statusPublishedAtNanos;
    private final java.util.concurrent.atomic.AtomicBoolean wakePending = new java.util.concurrent.atomic.AtomicBoolean();
    private final MessageListener dispatcher = this::dispatchSafely; // one instance, not one per poll
    private volatile Thread thread;

    private record Outgoing(String endpoint, Message message, long firstTriedNanos) { }

    /**
     * @param remoteRegions  each remote region's node endpoints (their real Aeron endpoints)
     * @param endpointMapper rewrites a real endpoint to the address to send to (identity, or the
     *                       simulator's WAN relay for it)
     */
    public CrossRegionAgent(LocalRegion local, Transport transport, Map<String, List<String>> remoteRegions,
                            ShippingConfig config, Function<String, String> endpointMapper,
                            CrossRegionListener listener) {
        this.local = local;
        this.transport = transport;
        this.endpointMapper = endpointMapper;
        this.listener = listener;
        this.outboxCapacity = config.conclude().outboxCapacity();
        this.outbox = new ManyToOneConcurrentArrayQueue<>(outboxCapacity);
        this.transportGeneration = transport.generation();
        this.receiver = new Receiver(local, config, this::enqueue, this::wake);
        remoteRegions.forEach((region, endpoints) -> shippers.put(region, new Shipper(region, endpoints, local, config,
                endpointMapper, this::sendNow, listener, faults)));
        this.shipperCycle = shippers.values().toArray(new Shipper[0]);
    }

    /**
     * Where each remote region's nodes are now (live membership), asked every duty cycle: the
     * supplier must be cheap and return the same map instance until something changed. Set before
     * the agent starts.
     */
    public void remoteEndpoints(java.util.function.Supplier<Map<String, List<String>>> supplier) {
        this.remoteEndpoints = supplier;
    }

    private void refreshRemoteEndpoints() {
        Map<String, List<String>> now = remoteEndpoints.get();
        if (now == appliedRemoteEndpoints) {
            return;
        }
        appliedRemoteEndpoints = now;
        shippers.forEach((region, shipper) -> {
            List<String> endpoints = now.get(region);
            if (endpoints != null && !endpoints.isEmpty()) {
                shipper.updateEndpoints(endpoints);
            }
        });
    }

    /**
     * Queues a message from any thread; sent on the agent thread (retried for up to 1 s on
     * back-pressure). Never blocks: when the outbox is full the message is dropped and counted (see
     * the class comment for why that is safe).
     *
     * @return false if it was dropped
     */
    public boolean enqueue(String endpoint, Message message) {
        if (outbox.offer(new Outgoing(endpointMapper.apply(endpoint), message, 0))) {
            wake();
            return true;
        }
        faults.record(FaultLog.OUTBOX_FULL, "cross-region outbox of " + local.regionName(),
                new IllegalStateException("outbox full (" + outboxCapacity + " messages): dropped a "
                        + message.getClass().getSimpleName() + " to " + endpoint), System.nanoTime());
        return false;
    }

    /** Sends directly; only from the agent thread. Endpoint must already be mapped. */
    boolean sendNow(String mappedEndpoint, Message message) {
        return transport.send(mappedEndpoint, Receiver.knownEpoch(local.state()), message);
    }

    /** Sends from the agent thread to a real endpoint (mapped here). */
    public boolean send(String endpoint, Message message) {
        return sendNow(endpointMapper.apply(endpoint), message);
    }

    /**
     * Whether this node led its region at the last duty cycle: only a leader ships and receives
     * batches, so only its agent is on the data path and needs the short idle park.
     */
    public boolean leads() {
        return wasLeader;
    }

    @Override
    public void onStart() {
        thread = Thread.currentThread();
    }

    /**
     * Ends the agent's idle park now (any thread): called when there is work it cannot see by polling
     * cheaply, i.e. an entry applied (for the shippers) or a message queued in the outbox. Without it
     * that work would wait out the rest of a park on every hop.
     */
    public void wake() {
        Thread t = thread;
        // At most one unpark per duty cycle: every applied entry calls this, and an unpark is a
        // syscall when the agent is parked (a tenth of the apply thread's CPU before this check).
        if (t != null && !wakePending.get() && !wakePending.getAndSet(true)) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    @Override
    public int doWork() {
        wakePending.set(false); // a wake from now on unparks again: this cycle may already be past its work
        long now = System.nanoTime();
        if (remoteEndpoints != null) {
            refreshRemoteEndpoints();
        }
        int work = flushOutbox(now);
        boolean leader = local.isLeader();
        if (leader != wasLeader) {
            wasLeader = leader;
            receiver.onLeadershipChange();
        }
        work += pollTransport(now);
        work += receiver.drainCompletions();
        for (Shipper shipper : shipperCycle) {
            try {
                work += shipper.doWork(now);
            } catch (RuntimeException e) {
                shipper.onFailure(e, now);
            }
        }
        work += runTimers(now);
        // At most every STATUS_PERIOD_NANOS: a reader (health, /status, metrics) sees a halt or an ack
        // within a millisecond, and an idle agent cycling thousands of times a second does not allocate
        // a status per cycle (that garbage, with the failover view's, drove most GC pauses of a steady run).
        if (now - statusPublishedAtNanos >= STATUS_PERIOD_NANOS || statusView.size() != shippers.size()) {
            statusPublishedAtNanos = now;
            publishStatus(now);
        }
        return work;
    }

    private int pollTransport(long now) {
        int work;
        try {
            work = transport.poll(dispatcher, POLL_LIMIT);
        } catch (RuntimeException e) {
            faults.record(FaultLog.TRANSPORT, "polling the transport of " + local.regionName(), e, now);
            return 0;
        }
        long generation = transport.generation();
        if (generation != transportGeneration) {
            transportGeneration = generation;
            LOG.info("transport was rebuilt (generation {}): every shipper starts over with a handshake", generation);
            shippers.values().forEach(s -> s.restart(now, "transport rebuilt"));
        }
        return work;
    }

    private int runTimers(long now) {
        if (timerBackoff.isWaiting(now)) {
            return 0;
        }
        try {
            int work = listener.doWork(now);
            timerBackoff.onSuccess();
            return work;
        } catch (RuntimeException e) {
            faults.record(FaultLog.TIMER, "failover timers of " + local.regionName(), e, now);
            timerBackoff.onFailure(now);
            return 0;
        }
    }

    /** One bad message (or a bug handling it) must not cost the rest of the poll batch. */
    private void dispatchSafely(Envelope env) {
        try {
            dispatch(env);
        } catch (RuntimeException e) {
            long now = System.nanoTime();
            Shipper shipper = shippers.get(env.senderRegion());
            if (shipper != null && isForShipper(env.message())) {
                shipper.onFailure(e, now);
            } else {
                faults.record(FaultLog.DISPATCH, "handling a " + env.message().getClass().getSimpleName()
                        + " from " + env.senderRegion() + "/" + env.senderNode(), e, now);
            }
        }
    }

    private static boolean isForShipper(Message m) {
        return m instanceof Message.HandshakeReply || m instanceof Message.Ack || m instanceof Message.Reject;
    }

    private void dispatch(Envelope env) {
        Message m = env.message();
        long now = System.nanoTime();
        if (m instanceof Message.Handshake h) {
            receiver.onHandshake(env, h);
        } else if (m instanceof Message.Batch b) {
            listener.onBatchReceived(env.senderRegion(), b.lastIndex());
            receiver.onBatch(env, b);
        } else if (m instanceof Message.HandshakeReply || m instanceof Message.Ack) {
            Shipper shipper = shippers.get(env.senderRegion());
            if (shipper != null) {
                shipper.onMessage(m, now);
            }
        } else if (m instanceof Message.Reject r) {
            if (r.reason() == io.meridian.transport.RejectReason.DIVERGED) {
                listener.onDiverged(env.senderRegion(), env.senderEndpoint(), r.expectedIndex() - 1, r.epoch());
                return;
            }
            Shipper shipper = shippers.get(env.senderRegion());
            if (shipper != null) {
                shipper.onMessage(m, now);
            } else {
                listener.onOtherMessage(env); // e.g. the witness refusing a stale ping
            }
        } else {
            listener.onOtherMessage(env);
        }
    }

    private int flushOutbox(long now) {
        int work = 0;
        if (!retry.isEmpty()) {
            List<Outgoing> again = new ArrayList<>(retry);
            retry.clear();
            for (Outgoing o : again) {
                work += trySend(o, now);
            }
        }
        // The retry list never outgrows the outbox: what waits beyond that stays in the outbox,
        // which then fills and drops new messages instead of growing without bound.
        Outgoing o;
        while (retry.size() < outboxCapacity && (o = outbox.poll()) != null) {
            work += trySend(o, now);
        }
        return work;
    }

    private int trySend(Outgoing o, long now) {
        try {
            if (sendNow(o.endpoint(), o.message())) {
                return 1;
            }
        } catch (RuntimeException e) {
            faults.record(FaultLog.OUTBOX_SEND, "sending a " + o.message().getClass().getSimpleName() + " to "
                    + o.endpoint(), e, now);
            return 0; // dropped: retrying a send that throws would throw again
        }
        long first = o.firstTriedNanos() == 0 ? now : o.firstTriedNanos();
        if (now - first < OUTBOX_RETRY_NANOS) {
            retry.add(new Outgoing(o.endpoint(), o.message(), first)); // not connected yet / back-pressure
        } else {
            faults.count(FaultLog.OUTBOX_EXPIRED);
            LOG.debug("dropping {} to {} after 1 s of back-pressure", o.message().getClass().getSimpleName(),
                    o.endpoint());
        }
        return 0;
    }

    /** Faults survived so far, by reason (the {@code reason} label of the errors metric). */
    public java.util.Map<String, Long> faultCounts() {
        return faults.snapshot();
    }

    /** Messages waiting in the outbox (approximate; any thread). */
    public int outboxDepth() {
        return outbox.size() + retry.size();
    }

    private void publishStatus(long now) {
        List<ShipperStatus> view = new ArrayList<>(shippers.size());
        for (Shipper s : shippers.values()) {
            view.add(s.status(now));
        }
        statusView = view;
    }

    /** Latest shipper statuses; safe from any thread. */
    public List<ShipperStatus> shipperStatus() {
        return statusView;
    }

    /** Acked index of a remote region as last seen by this node's shipper (0 if none). */
    public long ackedIndex(String remoteRegion) {
        for (ShipperStatus s : statusView) {
            if (s.remoteRegion().equals(remoteRegion)) {
                return s.ackedIndex();
            }
        }
        return 0;
    }

    /** Where inbound lag goes, per origin region (batches this node applied while leading). */
    public Map<String, LagAnatomy> lagAnatomy() {
        return receiver.anatomy();
    }

    public long malformedBatches() {
        return receiver.malformedBatches();
    }

    @Override
    public void onClose() {
        shippers.values().forEach(Shipper::close);
    }

    /** The fault log, for components running on this agent (e.g. the AgentRunner's error handler). */
    public FaultLog faults() {
        return faults;
    }

    @Override
    public String roleName() {
        return "meridian-xregion-" + local.regionName();
    }
}
