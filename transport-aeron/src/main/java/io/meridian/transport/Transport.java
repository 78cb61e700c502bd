package io.meridian.transport;

/**
 * The small interface between the cross-region logic and the network. One instance per node:
 * it listens on the node's own endpoint and sends to any remote endpoint ("host:port").
 * Implementations: {@link AeronTransport} (UDP, production) and {@link LoopbackTransport}
 * (in-memory, for logic tests).
 *
 * <p>Threading: {@link #send} and {@link #poll} are called from the owning agent thread(s);
 * implementations must tolerate {@code send} from more than one thread.
 */
public interface Transport extends AutoCloseable {

    /** This node's own endpoint, as remotes should address it. */
    String localEndpoint();

    /**
     * Encodes, signs and offers one message to {@code endpoint}.
     *
     * @param epoch sender's current epoch, written into the frame header
     * @return true if accepted by the transport; false on back-pressure or not yet connected (retry later)
     */
    boolean send(String endpoint, long epoch, Message message);

    /** Delivers up to {@code limit} inbound fragments to the listener; returns the work count. */
    int poll(MessageListener listener, int limit);

    /**
     * Bumped each time the transport rebuilt its connection to the network (e.g. a new Aeron client
     * after the old one was closed): whatever was in flight may be lost, so senders start over.
     */
    default long generation() {
        return 0;
    }

    /** Counters of frames dropped on receipt, by reason. */
    DropCounters dropCounters();

    @Override
    void close();
}
