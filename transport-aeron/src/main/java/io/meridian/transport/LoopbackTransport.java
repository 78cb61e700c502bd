package io.meridian.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link Transport} over a {@link LoopbackNetwork}: no sockets, but every message is encoded,
 * signed, and on receipt verified, replay-checked and decoded exactly as {@link AeronTransport} does,
 * so logic tests exercise the real wire format.
 *
 * <p>Delivery is asynchronous like the real thing: frames wait in the receiver's inbox until it
 * {@link #poll}s. Frames larger than {@link #MAX_FRAME_LENGTH} are refused as Aeron would with its
 * default term length. Thread-safe: {@code send} from any thread; {@code poll} is serialized.
 */
public final class LoopbackTransport implements Transport {

    /** Same limit as an Aeron publication with the default 1 MiB term (termLength / 8). */
    public static final int MAX_FRAME_LENGTH = AeronTransport.Context.DEFAULT_TERM_LENGTH / 8;

    private final LoopbackNetwork network;
    private final SenderIdentity identity;
    private final FrameEncoder encoder;
    private final FrameAdapter frameAdapter;
    private final Queue<byte[]> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong frameSeq = new AtomicLong();
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(new byte[0]);
    private volatile boolean reachable = true;
    private volatile boolean closed;

    LoopbackTransport(LoopbackNetwork network, SenderIdentity identity, ClusterSecret secret) {
        this.network = network;
        this.identity = identity;
        FrameAuthenticator authenticator = new FrameAuthenticator(secret);
        this.encoder = new FrameEncoder(identity, authenticator);
        this.frameAdapter = new FrameAdapter(authenticator, new DropCounters());
        network.register(this);
    }

    @Override
    public String localEndpoint() {
        return identity.endpoint();
    }

    /**
     * @return true if delivered or lost to a cut (the sender cannot tell, as with UDP); false if no
     *         transport listens on {@code endpoint}
     */
    @Override
    public boolean send(String endpoint, long epoch, Message message) {
        if (closed) {
            throw new IllegalStateException("transport on " + localEndpoint() + " is closed");
        }
        synchronized (encoder) {
            int length = encoder.encode(epoch, frameSeq.incrementAndGet(), message);
            if (length > MAX_FRAME_LENGTH) {
                throw new IllegalArgumentException("frame of " + length + " bytes exceeds max message length "
                    + MAX_FRAME_LENGTH);
            }
            byte[] frame = new byte[length];
            encoder.buffer().getBytes(0, frame);
            return network.deliver(this, endpoint, frame);
        }
    }

    @Override
    public synchronized int poll(MessageListener listener, int limit) {
        int work = 0;
        byte[] frame;
        while (work < limit && (frame = inbox.poll()) != null) {
            receiveBuffer.wrap(frame);
            frameAdapter.onFrame(receiveBuffer, 0, frame.length, listener);
            work++;
        }
        return work;
    }

    /** False emulates a node cut off from everyone: frames to and from it are silently lost. */
    public void setReachable(boolean reachable) {
        this.reachable = reachable;
    }

    public boolean isReachable() {
        return reachable;
    }

    /** Frames waiting to be polled. */
    public int pendingFrames() {
        return inbox.size();
    }

    @Override
    public DropCounters dropCounters() {
        return frameAdapter.dropCounters();
    }

    @Override
    public void close() {
        closed = true;
        network.unregister(this);
        inbox.clear();
    }

    void enqueue(byte[] frame) {
        if (!closed) {
            inbox.add(frame);
        }
    }
}
