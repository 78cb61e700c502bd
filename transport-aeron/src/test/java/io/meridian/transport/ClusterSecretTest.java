package io.meridian.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClusterSecretTest {

    @Test
    void toStringNeverShowsTheSecret() {
        ClusterSecret secret = ClusterSecret.of("correct-horse-battery-staple");
        assertThat(secret.toString()).doesNotContain("horse").contains("28 bytes");
        assertThat(new AeronTransport.Context().secret(secret).toString()).doesNotContain("horse");
    }

    @Test
    void requiresAtLeastSixteenBytes() {
        assertThatThrownBy(() -> ClusterSecret.of("fifteen-bytes!!")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ClusterSecret.of("sixteen-bytes!!!").length()).isEqualTo(16);
        assertThatThrownBy(() -> ClusterSecret.of(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copiesItsInputAndOutput() {
        byte[] key = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        ClusterSecret secret = ClusterSecret.of(key);
        key[0] = 'X';
        secret.bytes()[1] = 'Y';
        assertThat(secret).isEqualTo(ClusterSecret.of("0123456789abcdef"));
        assertThat(secret).isNotEqualTo(ClusterSecret.of("0123456789abcdeX"));
    }
}
