package io.meridian.bench;

import java.util.function.IntSupplier;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Runs a receiver's poll loop on its own thread, as a Meridian receiver agent would. Idles with a
 * backoff (spin, yield, then park) so that, on a small machine, an idle receiver does not steal the
 * core the sender or the media driver needs.
 */
final class BackgroundPoller implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    BackgroundPoller(String name, IntSupplier pollOnce) {
        IdleStrategy idle = new BackoffIdleStrategy();
        thread = new Thread(() -> {
            try {
                while (running) {
                    idle.idle(pollOnce.getAsInt());
                }
            } catch (Throwable t) {
                failure = t;
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("receiver thread failed", failure);
        }
    }
}
