package io.meridian.sim.wan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A NAT-style UDP relay standing in for one node endpoint on the emulated WAN.
 *
 * <p>Aeron receivers answer (STATUS, NAK) to the source address the data came from, so each
 * distinct client gets its own outbound socket: the target sees that socket as the sender, and
 * whatever the target sends back to it is relayed to the client from the relay's listening
 * address. Forward traffic obeys the forward link's conditions, replies the reverse link's.
 *
 * <p>Reads happen on the emulator's selector thread, sends on its delivery thread.
 */
public final class UdpRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpRelay.class);
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    /** Bounds the time one busy socket can hold the selector thread before others get a turn. */
    private static final int MAX_READS_PER_WAKEUP = 256;

    private final RelayLoop loop;
    private final DeliveryScheduler scheduler;
    private final InetSocketAddress target;
    private final LinkConditions forward;
    private final LinkConditions reverse;
    private final DatagramChannel listener;
    private final InetSocketAddress address;
    /** Written by the selector thread only; concurrent for {@link #clientCount()} and close. */
    private final Map<SocketAddress, DatagramChannel> outboundByClient = new ConcurrentHashMap<>();
    /** Set by the emulator's thread, read by the selector thread: drop both directions while true. */
    private volatile boolean cut;

    UdpRelay(RelayLoop loop, DeliveryScheduler scheduler, InetSocketAddress target, LinkConditions forward,
             LinkConditions reverse) {
        this.loop = loop;
        this.scheduler = scheduler;
        this.target = target;
        this.forward = forward;
        this.reverse = reverse;
        try {
            listener = openChannel();
            address = (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open relay towards " + target, e);
        }
        loop.register(listener, this::onClientDatagrams);
    }

    /** The address clients send to, on 127.0.0.1 with an ephemeral port. */
    public InetSocketAddress address() {
        return address;
    }

    public InetSocketAddress target() {
        return target;
    }

    /** While cut, nothing crosses this relay in either direction (a one-node partition). */
    void cut(boolean cut) {
        this.cut = cut;
    }

    /** Distinct client source addresses seen so far (one outbound socket each). */
    public int clientCount() {
        return outboundByClient.size();
    }

    private void onClientDatagrams(DatagramChannel channel, ByteBuffer scratch) throws IOException {
        for (int i = 0; i < MAX_READS_PER_WAKEUP; i++) {
            scratch.clear();
            SocketAddress client = channel.receive(scratch);
            if (client == null) {
                return;
            }
            DatagramChannel outbound = outboundByClient.get(client);
            if (outbound == null) {
                outbound = openOutbound(client);
            }
            relay(scratch, forward, outbound, target);
        }
    }

    private DatagramChannel openOutbound(SocketAddress client) throws IOException {
        DatagramChannel outbound = openChannel();
        outboundByClient.put(client, outbound);
        loop.register(outbound, (ch, scratch) -> onTargetDatagrams(ch, scratch, client));
        LOG.debug("relay {} -> {}: new client {} via {}", address, target, client, outbound.getLocalAddress());
        return outbound;
    }

    private void onTargetDatagrams(DatagramChannel channel, ByteBuffer scratch, SocketAddress client)
            throws IOException {
        for (int i = 0; i < MAX_READS_PER_WAKEUP; i++) {
            scratch.clear();
            if (channel.receive(scratch) == null) {
                return;
            }
            relay(scratch, reverse, listener, client);
        }
    }

    private void relay(ByteBuffer scratch, LinkConditions link, DatagramChannel via, SocketAddress to) {
        if (cut) {
            return;
        }
        scratch.flip();
        int bytes = scratch.remaining();
        long deliverAt = link.admit(bytes, System.nanoTime());
        if (deliverAt < 0) {
            return;
        }
        // The scratch buffer is reused for the next read, so the scheduler gets its own copy.
        ByteBuffer copy = ByteBuffer.allocate(bytes);
        copy.put(scratch).flip();
        scheduler.schedule(deliverAt, via, to, copy, link);
    }

    private static DatagramChannel openChannel() throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.configureBlocking(false);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void close() {
        List<DatagramChannel> all = new ArrayList<>(outboundByClient.values());
        all.add(listener);
        for (DatagramChannel ch : all) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("relay channel close failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "UdpRelay{" + address + " -> " + target + ", " + forward.name() + "}";
    }
}
