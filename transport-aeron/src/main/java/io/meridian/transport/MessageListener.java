package io.meridian.transport;

/** Receives authenticated inbound messages on the transport's polling thread. */
@FunctionalInterface
public interface MessageListener {
    void onMessage(Envelope envelope);
}
