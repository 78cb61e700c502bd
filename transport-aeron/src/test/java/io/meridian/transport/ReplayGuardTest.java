package io.meridian.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReplayGuardTest {

    private final ReplayGuard guard = new ReplayGuard();

    @Test
    void firstFrameFromASenderIsAccepted() {
        assertThat(guard.accept("eu", "n1", 100, 1)).isTrue();
        assertThat(guard.senderCount()).isEqualTo(1);
    }

    @Test
    void sameIncarnationNeedsAStrictlyHigherSequence() {
        assertThat(guard.accept("eu", "n1", 100, 5)).isTrue();
        assertThat(guard.accept("eu", "n1", 100, 5)).isFalse();
        assertThat(guard.accept("eu", "n1", 100, 4)).isFalse();
        assertThat(guard.accept("eu", "n1", 100, 6)).isTrue();
        assertThat(guard.accept("eu", "n1", 100, 50)).isTrue();
        assertThat(guard.accept("eu", "n1", 100, 49)).isFalse();
    }

    @Test
    void newerIncarnationResetsTheSequence() {
        assertThat(guard.accept("eu", "n1", 100, 1_000)).isTrue();
        assertThat(guard.accept("eu", "n1", 200, 1)).isTrue();
        assertThat(guard.accept("eu", "n1", 200, 2)).isTrue();
        // Frames from the previous run are now replays, whatever their sequence.
        assertThat(guard.accept("eu", "n1", 100, 5_000)).isFalse();
    }

    @Test
    void sendersAreKeyedByRegionAndNode() {
        assertThat(guard.accept("eu", "n1", 100, 10)).isTrue();
        assertThat(guard.accept("us", "n1", 100, 1)).isTrue();
        assertThat(guard.accept("eu", "n2", 100, 1)).isTrue();
        assertThat(guard.accept("eu", "n1", 100, 10)).isFalse();
        assertThat(guard.senderCount()).isEqualTo(3);
    }

    @Test
    void regionAndNodeDoNotBleedIntoEachOther() {
        // "a"+"bc" and "ab"+"c" are different senders even though the concatenations match.
        assertThat(guard.accept("a", "bc", 1, 10)).isTrue();
        assertThat(guard.accept("ab", "c", 1, 1)).isTrue();
    }

    @Test
    void negativeIncarnationsAndSequencesCompareNumerically() {
        assertThat(guard.accept("eu", "n1", -5, -10)).isTrue();
        assertThat(guard.accept("eu", "n1", -5, -11)).isFalse();
        assertThat(guard.accept("eu", "n1", -4, Long.MIN_VALUE)).isTrue();
    }
}
