package io.meridian.xregion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ShippingConfigTest {

    @Test
    void defaultsAreValid() {
        final ShippingConfig config = new ShippingConfig().conclude();
        assertThat(config.maxBatchEntries()).isEqualTo(100);
        assertThat(config.maxBatchBytes()).isEqualTo(64 * 1024);
        assertThat(config.lingerNanos()).isZero();
        assertThat(config.compressThresholdBytes()).isEqualTo(1024);
        assertThat(config.maxInFlightBatches()).isEqualTo(64);
        assertThat(config.maxInFlightBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(config.ackTimeoutNanos()).isEqualTo(2_000_000_000L);
        assertThat(config.handshakeTimeoutNanos()).isEqualTo(1_000_000_000L);
        assertThat(config.reconnectBackoffMinNanos()).isEqualTo(50_000_000L);
        assertThat(config.reconnectBackoffMaxNanos()).isEqualTo(2_000_000_000L);
        assertThat(config.conclude()).as("idempotent").isSameAs(config);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad("maxBatchEntries", c -> c.maxBatchEntries(0)),
                bad("maxBatchBytes", c -> c.maxBatchBytes(-1)),
                bad("lingerNanos", c -> c.lingerNanos(-1)),
                bad("compressThresholdBytes", c -> c.compressThresholdBytes(-1)),
                bad("maxInFlightBatches", c -> c.maxInFlightBatches(0)),
                bad("maxInFlightBytes", c -> c.maxInFlightBytes(0)),
                bad("maxInFlightBytes", c -> c.maxInFlightBytes(1000).maxBatchBytes(1001)),
                bad("ackTimeoutNanos", c -> c.ackTimeoutNanos(-5)),
                bad("ackTimeoutsBeforeReconnect", c -> c.ackTimeoutsBeforeReconnect(0)),
                bad("handshakeTimeoutNanos", c -> c.handshakeTimeoutNanos(0)),
                bad("reconnectBackoffMinNanos", c -> c.reconnectBackoffMinNanos(0)),
                bad("reconnectBackoffMaxNanos", c -> c.reconnectBackoffMaxNanos(0)),
                bad("reconnectBackoffMinNanos", c -> c.reconnectBackoffMinNanos(10).reconnectBackoffMaxNanos(9)));
    }

    private static Arguments bad(String field, Consumer<ShippingConfig> change) {
        return Arguments.of(field, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void concludeNamesTheInvalidField(String field, Consumer<ShippingConfig> change) {
        final ShippingConfig config = new ShippingConfig();
        change.accept(config);
        assertThatThrownBy(config::conclude).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
        assertThat(config.isConcluded()).isFalse();
    }

    @Test
    void concludedConfigIsFrozen() {
        final ShippingConfig config = new ShippingConfig().compressThresholdBytes(0).conclude();
        assertThatThrownBy(() -> config.maxBatchEntries(5)).isInstanceOf(IllegalStateException.class);
        assertThat(config.maxBatchEntries()).isEqualTo(100);
        assertThat(config.compressThresholdBytes()).isZero();
    }
}
