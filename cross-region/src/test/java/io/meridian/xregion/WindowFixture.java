package io.meridian.xregion;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared set-up for the {@link ShipperWindow} tests: a small window and time in round milliseconds. */
final class WindowFixture {

    static final List<String> ENDPOINTS = List.of("a:1", "b:2", "c:3");
    static final long HANDSHAKE_TIMEOUT = ms(1_000);
    static final long ACK_TIMEOUT = ms(2_000);
    static final long BACKOFF_MIN = ms(50);
    static final long BACKOFF_MAX = ms(200);
    static final int MAX_BATCHES = 4;
    static final int MAX_BYTES = 1_000;

    private WindowFixture() {
    }

    static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    static ShippingConfig config() {
        return new ShippingConfig()
                .maxBatchBytes(500)
                .maxInFlightBatches(MAX_BATCHES)
                .maxInFlightBytes(MAX_BYTES)
                .ackTimeoutNanos(ACK_TIMEOUT)
                .ackTimeoutsBeforeReconnect(2)
                .handshakeTimeoutNanos(HANDSHAKE_TIMEOUT)
                .reconnectBackoffMinNanos(BACKOFF_MIN)
                .reconnectBackoffMaxNanos(BACKOFF_MAX);
    }

    /** A window over a local log that holds every index up to 1000, all in epoch 7. */
    static ShipperWindow window() {
        return new ShipperWindow("eu", ENDPOINTS, config(), (index, epoch) -> index <= 1000 && epoch == 7);
    }

    /** A window already STREAMING from {@code remoteLastIndex + 1} to the first endpoint. */
    static ShipperWindow streaming(long remoteLastIndex, long nowNanos) {
        final ShipperWindow window = window();
        window.start(nowNanos);
        final List<ShipperAction> actions = window.onHandshakeReply(remoteLastIndex, 7, true, "", nowNanos);
        assertThat(actions).containsExactly(new ShipperAction.SeekTailer(remoteLastIndex + 1));
        assertThat(window.state()).isEqualTo(ShipperState.STREAMING);
        return window;
    }
}
