package io.meridian.sim.wan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends admitted datagrams when their link says they arrive. One thread drains a {@link DelayQueue};
 * ties are broken by admission order so that a link with constant delay never reorders.
 */
final class DeliveryScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryScheduler.class);

    private final DelayQueue<Delivery> queue = new DelayQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    DeliveryScheduler(String threadName) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code data} (owned by the scheduler from now on) to go out of {@code via} to {@code to}. */
    void schedule(long deliverAtNanos, DatagramChannel via, SocketAddress to, ByteBuffer data, LinkConditions link) {
        queue.add(new Delivery(deliverAtNanos, sequence.getAndIncrement(), via, to, data, link));
    }

    private void run() {
        while (running) {
            Delivery d;
            try {
                d = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            send(d);
        }
        // Undelivered datagrams at shutdown are released so the link's queued-bytes gauge ends at 0.
        for (Object pending : queue.toArray()) {
            Delivery d = (Delivery) pending;
            d.link.sendFailed(d.data.remaining());
        }
        queue.clear();
    }

    private static void send(Delivery d) {
        int bytes = d.data.remaining();
        try {
            // Non-blocking: a full socket buffer means the datagram is lost, as on a congested path.
            if (d.via.send(d.data, d.to) == bytes) {
                d.link.delivered(bytes);
                return;
            }
        } catch (IOException e) {
            LOG.debug("relay send to {} failed: {}", d.to, e.toString());
        }
        d.link.sendFailed(bytes);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Delivery implements Delayed {
        final long deliverAtNanos;
        final long seq;
        final DatagramChannel via;
        final SocketAddress to;
        final ByteBuffer data;
        final LinkConditions link;

        Delivery(long deliverAtNanos, long seq, DatagramChannel via, SocketAddress to, ByteBuffer data,
                 LinkConditions link) {
            this.deliverAtNanos = deliverAtNanos;
            this.seq = seq;
            this.via = via;
            this.to = to;
            this.data = data;
            this.link = link;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(deliverAtNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Delivery other = (Delivery) o;
            int byTime = Long.compare(deliverAtNanos - other.deliverAtNanos, 0);
            return byTime != 0 ? byTime : Long.compare(seq, other.seq);
        }
    }
}
