package io.meridian.transport;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * An in-memory "network" connecting {@link LoopbackTransport}s by endpoint, for logic tests.
 *
 * <p>Frames are real signed frames (bytes), so the wire format, MAC and replay checks run exactly as
 * over UDP. Partitions are emulated by dropping frames silently, as a cut link would:
 * {@link LoopbackTransport#setReachable(boolean)} isolates one node, {@link #cut} one direction of a
 * link. Use one instance per test so tests cannot see each other's nodes. Thread-safe.
 */
public final class LoopbackNetwork {

    private record Link(String from, String to) { }

    private final Map<String, LoopbackTransport> byEndpoint = new ConcurrentHashMap<>();
    private final Set<Link> cutLinks = ConcurrentHashMap.newKeySet();
    private volatile BiConsumer<String, byte[]> tap;

    /** Creates a transport on this network; the endpoint must be free. */
    public LoopbackTransport transport(String endpoint, String regionId, String nodeId, ClusterSecret secret) {
        return new LoopbackTransport(this, new SenderIdentity(regionId, nodeId, endpoint,
            SenderIdentity.nextIncarnation()), secret);
    }

    /** Drops every frame sent from {@code fromEndpoint} to {@code toEndpoint} until {@link #heal}. */
    public void cut(String fromEndpoint, String toEndpoint) {
        cutLinks.add(new Link(fromEndpoint, toEndpoint));
    }

    public void heal(String fromEndpoint, String toEndpoint) {
        cutLinks.remove(new Link(fromEndpoint, toEndpoint));
    }

    public void healAll() {
        cutLinks.clear();
    }

    /** Observes every frame accepted for delivery (after cuts): {@code (toEndpoint, frameBytes)}. */
    public void tap(BiConsumer<String, byte[]> tap) {
        this.tap = tap;
    }

    /**
     * Puts raw bytes in an endpoint's inbox as if they arrived off the wire (e.g. a replayed or
     * forged frame).
     *
     * @return false if nothing listens on that endpoint
     */
    public boolean inject(String toEndpoint, byte[] frame) {
        LoopbackTransport target = byEndpoint.get(toEndpoint);
        if (target == null) {
            return false;
        }
        target.enqueue(frame.clone());
        return true;
    }

    void register(LoopbackTransport transport) {
        String endpoint = transport.localEndpoint();
        if (byEndpoint.putIfAbsent(endpoint, transport) != null) {
            throw new IllegalStateException("endpoint already in use on this network: " + endpoint);
        }
    }

    void unregister(LoopbackTransport transport) {
        byEndpoint.remove(transport.localEndpoint(), transport);
    }

    /**
     * Routes one frame. Called with the sender's lock held, so frames from one sender reach each
     * inbox in sequence order.
     *
     * @return false if no transport listens on {@code toEndpoint} (like Aeron's NOT_CONNECTED)
     */
    boolean deliver(LoopbackTransport from, String toEndpoint, byte[] frame) {
        LoopbackTransport target = byEndpoint.get(Objects.requireNonNull(toEndpoint, "endpoint"));
        if (target == null) {
            return false;
        }
        if (!from.isReachable() || !target.isReachable()
            || cutLinks.contains(new Link(from.localEndpoint(), toEndpoint))) {
            return true; // lost in the partition, as UDP would lose it
        }
        BiConsumer<String, byte[]> observer = tap;
        if (observer != null) {
            observer.accept(toEndpoint, frame.clone());
        }
        target.enqueue(frame);
        return true;
    }
}
