package io.meridian.xregion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class RetryBackoffTest {

    @Test
    void doublesUpToTheMaxAndResetsOnSuccess() {
        RetryBackoff backoff = new RetryBackoff(100, 350);
        assertThat(backoff.isWaiting(0)).isFalse();
        assertThat(backoff.onFailure(0)).isEqualTo(100);
        assertThat(backoff.isWaiting(99)).isTrue();
        assertThat(backoff.isWaiting(100)).isFalse();
        assertThat(backoff.onFailure(100)).isEqualTo(200);
        assertThat(backoff.onFailure(300)).isEqualTo(350);
        assertThat(backoff.onFailure(650)).isEqualTo(350);
        backoff.onSuccess();
        assertThat(backoff.isWaiting(651)).isFalse();
        assertThat(backoff.onFailure(700)).isEqualTo(100);
    }
}
