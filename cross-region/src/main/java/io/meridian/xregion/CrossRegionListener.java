package io.meridian.xregion;

import io.meridian.transport.Envelope;

/**
 * Hooks for the failover layer: messages the shipping agent does not handle itself (lease pings,
 * pongs, image transfer, divergence notices) and shipping progress. Called on the agent thread.
 */
public interface CrossRegionListener {

    /** A remote region acknowledged everything up to {@code ackedIndex}. */
    default void onRemoteAcked(String remoteRegion, long ackedIndex) {
    }

    /** A batch up to {@code lastIndex} arrived from {@code senderRegion} (before any checks). */
    default void onBatchReceived(String senderRegion, long lastIndex) {
    }

    /** The primary told this node that its region's log diverged after {@code matchIndex}. */
    default void onDiverged(String primaryRegion, String primaryEndpoint, long matchIndex, long primaryEpoch) {
    }

    /** Any message not consumed by shipping or receiving (Ping, Pong, ImageRequest, ImageChunk). */
    default void onOtherMessage(Envelope envelope) {
    }

    /** Called once per duty cycle so the failover layer can do timed work on the agent thread. */
    default int doWork(long nowNanos) {
        return 0;
    }
}
