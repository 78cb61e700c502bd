package io.meridian.failover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class RegionStateTest {

    @Test
    void initialStateStartsTheLogAtIndexOne() {
        assertThat(RegionState.initial("eu")).isEqualTo(new RegionState(1, "eu", 1, 0, 0));
    }

    @Test
    void advanceStartsTheEpochAfterItsBasisAndIgnoresStaleProposals() {
        final RegionState two = RegionState.initial("eu").advance(2, "us", 103);

        assertThat(two).isEqualTo(new RegionState(2, "us", 104, 103, 0));
        assertThat(two.advance(2, "ap", 200)).isSameAs(two);
    }

    @Test
    void fenceLastsUntilTheEpochIsAdopted() {
        final RegionState fenced = RegionState.initial("eu").withFence(3);

        assertThat(fenced.isFenced()).isTrue();
        assertThat(fenced.highestKnownEpoch()).isEqualTo(3);
        assertThat(fenced.withFence(2)).isSameAs(fenced);
        assertThat(fenced.advance(2, "us", 50).isFenced()).isTrue();
        assertThat(fenced.advance(3, "us", 50).isFenced()).isFalse();
    }

    @Test
    void rejectsInvalidValues() {
        assertThatThrownBy(() -> new RegionState(0, "eu", 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegionState(1, " ", 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegionState(1, "eu", 1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
