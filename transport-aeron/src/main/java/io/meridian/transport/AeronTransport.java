package io.meridian.transport;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Transport} over Aeron UDP: one subscription on this node's endpoint, and one lazily added
 * {@link io.aeron.ExclusivePublication} per remote endpoint. Every frame is signed and checked as
 * described in {@link WireFormat}.
 *
 * <p>Media driver: with no {@link Context#aeronDirectoryName(String)} the transport leases the
 * JVM-wide {@link EmbeddedDriver} and its shared Aeron client; with one, it connects its own client
 * to the external driver running there.
 *
 * <p>Threading: the transport has no thread of its own. {@link #poll} must be called by one thread
 * at a time (the listener runs on it); {@link #send} is safe from any thread and never blocks on
 * the network or the driver. Messages larger than the MTU are fragmented by Aeron and reassembled
 * by a {@link FragmentAssembler}; the largest frame is {@code termLength / 8}.
 *
 * <p>Recovery: Aeron closes its client when its conductor misses its service interval (e.g. the
 * process was stopped for 10+ s) and the driver drops a client it no longer hears from. {@link #poll}
 * notices a closed client and rebuilds it (renewing the embedded driver lease, or reconnecting to
 * the external driver), its subscription and publishers, with backoff while that fails; meanwhile
 * {@code send} returns false. {@link #generation()} is bumped on success so senders start over.
 */
public final class AeronTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(AeronTransport.class);

    private final Context ctx;
    private static final long RECOVER_BACKOFF_MIN_NS = 100_000_000L;
    private static final long RECOVER_BACKOFF_MAX_NS = 5_000_000_000L;

    private EmbeddedDriver.Lease lease;
    private volatile Aeron aeron;
    private Subscription subscription;
    private final AtomicLong generation = new AtomicLong();
    private long recoverAtNanos;
    private long recoverBackoffNanos;
    private final FragmentAssembler assembler;
    private final FrameAdapter frameAdapter;
    private final FrameAuthenticator authenticator;
    private final SenderIdentity identity;
    private final AtomicLong frameSeq = new AtomicLong();
    private final Map<String, FramePublisher> publishers = new ConcurrentHashMap<>();
    private MessageListener pollListener;
    private volatile boolean closed;

    private AeronTransport(Context ctx) {
        this.ctx = ctx;
        this.authenticator = new FrameAuthenticator(ctx.secret);
        this.identity = new SenderIdentity(ctx.regionId, ctx.nodeId, ctx.endpoint, ctx.incarnation);
        this.frameAdapter = new FrameAdapter(authenticator, new DropCounters());
        this.assembler = new FragmentAssembler(this::onFragment);
        EmbeddedDriver.Lease acquired = null;
        Aeron client = null;
        try {
            if (ctx.aeronDirectoryName == null) {
                acquired = EmbeddedDriver.acquire();
                client = acquired.aeron();
            } else {
                client = connectExternal(ctx);
            }
            // Synchronous on purpose: failing to bind our own port should fail construction.
            this.subscription = client.addSubscription(subscriptionChannel(ctx), ctx.streamId);
        } catch (RuntimeException e) {
            CloseHelper.quietClose(acquired != null ? acquired : client);
            throw e;
        }
        this.lease = acquired;
        this.aeron = client;
        LOG.info("transport region={} node={} listening on {} (stream {})", ctx.regionId, ctx.nodeId, ctx.endpoint,
            ctx.streamId);
    }

    /** Concludes {@code ctx} and starts a transport listening on its endpoint. */
    public static AeronTransport launch(Context ctx) {
        return new AeronTransport(ctx.conclude());
    }

    @Override
    public String localEndpoint() {
        return ctx.endpoint;
    }

    @Override
    public boolean send(String endpoint, long epoch, Message message) {
        Objects.requireNonNull(message, "message");
        ensureOpen();
        Aeron client = aeron;
        if (client.isClosed()) {
            return false; // poll() rebuilds the client; until then we are simply not connected
        }
        FramePublisher publisher = publishers.computeIfAbsent(endpoint, this::newPublisher);
        if (closed) {
            // Raced with close(): make sure the publisher we may just have created does not leak.
            CloseHelper.quietClose(publisher);
            ensureOpen();
        }
        if (publisher.client() != client) {
            publishers.remove(endpoint, publisher); // created on a client since replaced
            CloseHelper.quietClose(publisher);
            return false;
        }
        return publisher.send(epoch, message);
    }

    @Override
    public int poll(MessageListener listener, int limit) {
        ensureOpen();
        if (aeron.isClosed()) {
            return recover(System.nanoTime());
        }
        pollListener = listener;
        try {
            return subscription.poll(assembler, limit);
        } finally {
            pollListener = null;
        }
    }

    @Override
    public long generation() {
        return generation.get();
    }

    /** The client in use (tests close it to simulate Aeron giving up on us). */
    Aeron aeronClient() {
        return aeron;
    }

    private synchronized int recover(long nowNanos) {
        if (closed || !aeron.isClosed() || nowNanos - recoverAtNanos < 0) {
            return 0;
        }
        publishers.values().forEach(CloseHelper::quietClose);
        publishers.clear();
        CloseHelper.quietClose(subscription);
        try {
            Aeron client;
            if (lease != null) {
                lease = EmbeddedDriver.renew(lease);
                client = lease.aeron();
            } else {
                CloseHelper.quietClose(aeron);
                client = connectExternal(ctx);
            }
            subscription = client.addSubscription(subscriptionChannel(ctx), ctx.streamId);
            aeron = client;
            recoverBackoffNanos = 0;
            long g = generation.incrementAndGet();
            LOG.warn("transport on {}: Aeron client was closed; rebuilt it (generation {})", ctx.endpoint, g);
            return 1;
        } catch (RuntimeException e) {
            recoverBackoffNanos = recoverBackoffNanos == 0 ? RECOVER_BACKOFF_MIN_NS
                : Math.min(RECOVER_BACKOFF_MAX_NS, recoverBackoffNanos * 2);
            recoverAtNanos = nowNanos + recoverBackoffNanos;
            EmbeddedDriver.logLimited("rebuilding the Aeron client of transport on " + ctx.endpoint
                + " failed; retrying in " + recoverBackoffNanos / 1_000_000 + " ms", e);
            return 0;
        }
    }

    private static Aeron connectExternal(Context ctx) {
        return Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName)
            .errorHandler(EmbeddedDriver::onClientError));
    }

    private static String subscriptionChannel(Context ctx) {
        return "aeron:udp?endpoint=" + (ctx.bindEndpoint != null ? ctx.bindEndpoint : ctx.endpoint);
    }

    /** Whether a subscriber at {@code endpoint} is connected to our publication (false if none yet). */
    public boolean isConnected(String endpoint) {
        FramePublisher publisher = publishers.get(endpoint);
        return publisher != null && publisher.isConnected();
    }

    /** Whether any remote publication is currently connected to our subscription. */
    public synchronized boolean hasInboundConnection() {
        return subscription.isConnected();
    }

    @Override
    public DropCounters dropCounters() {
        return frameAdapter.dropCounters();
    }

    public Context context() {
        return ctx;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        publishers.values().forEach(CloseHelper::quietClose);
        publishers.clear();
        CloseHelper.quietClose(subscription);
        LOG.info("transport on {} closed", ctx.endpoint);
        CloseHelper.quietClose(lease != null ? lease : aeron);
    }

    private FramePublisher newPublisher(String endpoint) {
        ContextChecks.requireEndpoint(endpoint, "remote endpoint");
        String channel = new ChannelUriStringBuilder().media("udp").endpoint(endpoint)
            .termLength(ctx.termLength).mtu(ctx.mtu).build();
        return new FramePublisher(aeron, channel, ctx.streamId, new FrameEncoder(identity, authenticator), frameSeq);
    }

    private void onFragment(DirectBuffer buffer, int offset, int length, Header header) {
        frameAdapter.onFrame(buffer, offset, length, pollListener);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("transport on " + ctx.endpoint + " is closed");
        }
    }

    /**
     * Configuration, in the style of Aeron's contexts: fluent setters, then {@link #conclude()}
     * validates and fills defaults. {@code endpoint}, {@code regionId}, {@code nodeId} and
     * {@code secret} are required.
     */
    public static final class Context {
        public static final int DEFAULT_TERM_LENGTH = 1024 * 1024;
        /** Aeron's default: fits a 1500-byte Ethernet path without IP fragmentation across regions. */
        public static final int DEFAULT_MTU = 1408;
        public static final int DEFAULT_STREAM_ID = 0x4D52;
        private static final int MIN_TERM_LENGTH = 64 * 1024;
        private static final int MAX_TERM_LENGTH = FrameLimits.MAX_TERM_LENGTH;
        private static final int FRAME_ALIGNMENT = 32;
        private static final int MAX_UDP_PAYLOAD = 65504;

        private String endpoint;
        private String bindEndpoint;
        private String regionId;
        private String nodeId;
        private ClusterSecret secret;
        private String aeronDirectoryName;
        private int termLength = DEFAULT_TERM_LENGTH;
        private int mtu = DEFAULT_MTU;
        private int streamId = DEFAULT_STREAM_ID;
        private long incarnation;

        /** This node's listen endpoint, "host:port", as remotes should address it. */
        public Context endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Where to listen instead of {@link #endpoint} (e.g. {@code 0.0.0.0:8001} behind NAT); default: the endpoint. */
        public Context bindEndpoint(String bindEndpoint) {
            this.bindEndpoint = bindEndpoint;
            return this;
        }

        public Context regionId(String regionId) {
            this.regionId = regionId;
            return this;
        }

        public Context nodeId(String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        public Context secret(ClusterSecret secret) {
            this.secret = secret;
            return this;
        }

        /** An external media driver's directory; unset means the JVM-wide {@link EmbeddedDriver}. */
        public Context aeronDirectoryName(String aeronDirectoryName) {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        /** Term length of our publications: a power of two, at least 64 KiB. Max frame = termLength / 8. */
        public Context termLength(int termLength) {
            this.termLength = termLength;
            return this;
        }

        /** Max UDP payload per datagram: a multiple of 32, at most 65504. Loopback-only setups may raise it. */
        public Context mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /** Aeron stream id used for every Meridian stream; all nodes must agree. */
        public Context streamId(int streamId) {
            this.streamId = streamId;
            return this;
        }

        /** Override the process incarnation (tests); default {@link SenderIdentity#nextIncarnation()}. */
        public Context incarnation(long incarnation) {
            this.incarnation = incarnation;
            return this;
        }

        public String endpoint() {
            return endpoint;
        }

        public String regionId() {
            return regionId;
        }

        public String nodeId() {
            return nodeId;
        }

        public int termLength() {
            return termLength;
        }

        public int mtu() {
            return mtu;
        }

        public int streamId() {
            return streamId;
        }

        public long incarnation() {
            return incarnation;
        }

        /** Validates required fields and fills defaults. */
        public Context conclude() {
            ContextChecks.requireEndpoint(endpoint, "endpoint");
            ContextChecks.requireEndpoint(bindEndpoint == null ? endpoint : bindEndpoint, "bindEndpoint");
            ContextChecks.requireText(regionId, "regionId");
            ContextChecks.requireText(nodeId, "nodeId");
            Objects.requireNonNull(secret, "secret is required");
            if (!BitUtil.isPowerOfTwo(termLength) || termLength < MIN_TERM_LENGTH || termLength > MAX_TERM_LENGTH) {
                throw new IllegalArgumentException("termLength must be a power of two in [64 KiB, 1 GiB]: "
                    + termLength);
            }
            if (mtu <= FRAME_ALIGNMENT || mtu > MAX_UDP_PAYLOAD || mtu % FRAME_ALIGNMENT != 0) {
                throw new IllegalArgumentException("mtu must be a multiple of 32 in (32, 65504]: " + mtu);
            }
            int names = ContextChecks.utf8Length(regionId) + ContextChecks.utf8Length(nodeId)
                + ContextChecks.utf8Length(endpoint);
            if (names > FrameLimits.MAX_SENDER_NAMES_BYTES) {
                // Frame sizing (FrameLimits.BATCH_FRAME_OVERHEAD) budgets this much for the header names.
                throw new IllegalArgumentException("regionId, nodeId and endpoint together must be at most "
                    + FrameLimits.MAX_SENDER_NAMES_BYTES + " UTF-8 bytes: " + names);
            }
            if (incarnation == 0) {
                incarnation = SenderIdentity.nextIncarnation();
            }
            return this;
        }

        @Override
        public String toString() {
            return "AeronTransport.Context{endpoint=" + endpoint + ", bind=" + bindEndpoint + ", region=" + regionId + ", node=" + nodeId
                + ", secret=" + secret + ", aeronDir=" + aeronDirectoryName + ", termLength=" + termLength
                + ", mtu=" + mtu + ", streamId=" + streamId + '}';
        }
    }
}
