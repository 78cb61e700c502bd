package io.meridian.sim.wan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The one selector thread that reads every relay socket. Reading on one thread keeps the relay
 * cheap on a 2-core machine and lets each link's admission happen in arrival order.
 */
final class RelayLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayLoop.class);
    /** Large enough for any UDP datagram, so nothing is ever truncated. */
    private static final int MAX_DATAGRAM = 65_536;
    private static final long SELECT_TIMEOUT_MS = 100;

    /** Called on the loop thread when a registered channel has datagrams to read. */
    interface Handler {
        void onReadable(DatagramChannel channel, ByteBuffer scratch) throws IOException;
    }

    private record Registration(DatagramChannel channel, Handler handler) { }

    private final Selector selector;
    private final Queue<Registration> pending = new ConcurrentLinkedQueue<>();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final Thread thread;
    private volatile boolean running = true;

    RelayLoop(String threadName) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open selector", e);
        }
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Registers a non-blocking channel for reads; safe from any thread. */
    void register(DatagramChannel channel, Handler handler) {
        if (Thread.currentThread() == thread) {
            doRegister(new Registration(channel, handler));
        } else {
            pending.add(new Registration(channel, handler));
            selector.wakeup();
        }
    }

    private void run() {
        while (running) {
            try {
                selector.select(SELECT_TIMEOUT_MS);
                for (Registration r; (r = pending.poll()) != null; ) {
                    doRegister(r);
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    dispatch(key);
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.warn("relay loop error, continuing", e);
                }
            }
        }
    }

    private void dispatch(SelectionKey key) {
        try {
            if (key.isValid() && key.isReadable()) {
                ((Handler) key.attachment()).onReadable((DatagramChannel) key.channel(), scratch);
            }
        } catch (CancelledKeyException | ClosedChannelException e) {
            key.cancel();
        } catch (IOException e) {
            // One socket's error (e.g. an ICMP unreachable surfacing) must not stop the others.
            LOG.debug("relay read error on {}", key.channel(), e);
        }
    }

    private void doRegister(Registration r) {
        try {
            r.channel().register(selector, SelectionKey.OP_READ, r.handler());
        } catch (ClosedChannelException e) {
            LOG.debug("channel closed before registration: {}", r.channel());
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("selector close failed", e);
        }
    }
}
