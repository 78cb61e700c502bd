package io.meridian.xregion;

/** Lifecycle of a {@link ShipperWindow}. */
public enum ShipperState {
    /** Not shipping: before {@link ShipperWindow#start}, after a stop, a fence or a divergence. */
    STOPPED,
    /** Lost or never got a stream; waiting out the reconnect backoff. */
    DISCONNECTED,
    /** A handshake was sent; waiting for the reply or the handshake timeout. */
    HANDSHAKING,
    /** Shipping batches and receiving acks. */
    STREAMING
}
