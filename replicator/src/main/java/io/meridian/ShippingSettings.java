package io.meridian;

import io.meridian.xregion.ShippingConfig;

/**
 * Turns the public {@link CrossRegionSettings} plus the payload limit into the concluded
 * {@link ShippingConfig} the agent runs with. {@link ReplicatorContext#conclude()} builds it, so a
 * payload limit that no frame can carry, or a batch limit above the frame limit, fails at
 * configuration time with the field named, not at the first large write.
 */
final class ShippingSettings {

    private ShippingSettings() {
    }

    static ShippingConfig from(CrossRegionSettings settings, int maxPayloadBytes) {
        return new ShippingConfig()
                .maxBatchEntries(settings.maxBatchEntries())
                .maxBatchBytes(settings.maxBatchBytes())
                .lingerNanos(settings.linger().toNanos())
                .compressThresholdBytes(settings.compressThresholdBytes())
                .maxInFlightBatches(settings.maxInFlightBatches())
                .maxInFlightBytes(settings.maxInFlightBytes())
                .ackTimeoutNanos(settings.ackTimeout().toNanos())
                .handshakeTimeoutNanos(settings.handshakeTimeout().toNanos())
                .maxPayloadBytes(maxPayloadBytes)
                .conclude();
    }
}
