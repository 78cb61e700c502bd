package io.meridian.xregion;

import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.transport.Transport;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The cross-region duty cycle of one node (an Agrona {@link Agent}): poll the transport, dispatch
 * inbound messages to the receiver, the shippers or the failover listener, run each shipper, and
 * flush the outbox of sends queued from other threads. All transport sends happen on this thread.
 */
public final class CrossRegionAgent implements Agent {

    private static final Logger LOG = LoggerFactory.getLogger(CrossRegionAgent.class);
    private static final int POLL_LIMIT = 64;

    private final LocalRegion local;
    private final Transport transport;
    private final Function<String, String> endpointMapper;
    private final CrossRegionListener listener;
    private final Receiver receiver;
    private final Map<String, Shipper> shippers = new LinkedHashMap<>();
    private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final ArrayList<Outgoing> retry = new ArrayList<>();
    private volatile boolean wasLeader;
    private volatile List<ShipperStatus> statusView = List.of();

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
        this.receiver = new Receiver(local, config, this::enqueue);
        remoteRegions.forEach((region, endpoints) -> shippers.put(region, new Shipper(region, endpoints, local, config,
                endpointMapper, this::sendNow, listener)));
    }

    /** Queues a message from any thread; sent on the agent thread (retried briefly on back-pressure). */
    public void enqueue(String endpoint, Message message) {
        outbox.add(new Outgoing(endpointMapper.apply(endpoint), message, 0));
    }

    /** Sends directly; only from the agent thread. Endpoint must already be mapped. */
    boolean sendNow(String mappedEndpoint, Message message) {
        return transport.send(mappedEndpoint, Receiver.knownEpoch(local.state()), message);
    }

    /** Sends from the agent thread to a real endpoint (mapped here). */
    public boolean send(String endpoint, Message message) {
        return sendNow(endpointMapper.apply(endpoint), message);
    }

    @Override
    public int doWork() {
        long now = System.nanoTime();
        int work = flushOutbox(now);
        boolean leader = local.isLeader();
        if (leader != wasLeader) {
            wasLeader = leader;
            receiver.onLeadershipChange();
        }
        work += transport.poll(this::dispatch, POLL_LIMIT);
        for (Shipper shipper : shippers.values()) {
            work += shipper.doWork(now);
        }
        work += listener.doWork(now);
        publishStatus();
        return work;
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
        Outgoing o;
        while ((o = outbox.poll()) != null) {
            work += trySend(o, now);
        }
        return work;
    }

    private int trySend(Outgoing o, long now) {
        if (sendNow(o.endpoint(), o.message())) {
            return 1;
        }
        long first = o.firstTriedNanos() == 0 ? now : o.firstTriedNanos();
        if (now - first < 1_000_000_000L) {
            retry.add(new Outgoing(o.endpoint(), o.message(), first)); // not connected yet / back-pressure
        } else {
            LOG.debug("dropping {} to {} after 1 s of back-pressure", o.message().getClass().getSimpleName(),
                    o.endpoint());
        }
        return 0;
    }

    private void publishStatus() {
        List<ShipperStatus> view = new ArrayList<>(shippers.size());
        for (Shipper s : shippers.values()) {
            view.add(s.status());
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

    public long malformedBatches() {
        return receiver.malformedBatches();
    }

    @Override
    public void onClose() {
        shippers.values().forEach(Shipper::close);
    }

    @Override
    public String roleName() {
        return "meridian-xregion-" + local.regionName();
    }
}
