package io.meridian.xregion;

/** What a {@link ShipperWindow} asks its agent to do, in the order returned. */
public sealed interface ShipperAction {

    /** Send a handshake to this endpoint of the remote region. */
    record SendHandshake(String endpoint) implements ShipperAction { }

    /**
     * Reposition the WAL tailer so the next batch starts at {@code index}, discarding any batch being
     * accumulated from the old position.
     */
    record SeekTailer(long index) implements ShipperAction { }

    /** The stream to the remote region was lost (the window reconnects by itself). */
    record Disconnected(String reason) implements ShipperAction { }

    /**
     * The remote's last entry is not in our log: it holds a divergent tail. The window stopped; the
     * remote needs repair (truncate or image) before shipping can resume.
     */
    record ReportDiverged(long remoteLastIndex, long remoteLastEpoch) implements ShipperAction { }

    /** The remote region saw a newer epoch: this node is no longer primary. The window stopped. */
    record Fenced(long remoteEpoch) implements ShipperAction { }
}
