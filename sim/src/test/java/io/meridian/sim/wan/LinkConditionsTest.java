package io.meridian.sim.wan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class LinkConditionsTest {

    private static final long MS = 1_000_000;

    @Test
    void delayIsAddedToTheArrivalTime() {
        LinkConditions link = new LinkConditions("eu->us", 1).delay(Duration.ofMillis(40));

        assertThat(link.admit(100, 1_000 * MS)).isEqualTo(1_040 * MS);
    }

    @Test
    void jitterStaysWithinBoundsAndNeverReorders() {
        LinkConditions link = new LinkConditions("eu->us", 3).delay(Duration.ofMillis(50)).jitter(Duration.ofMillis(20));
        long previous = Long.MIN_VALUE;
        boolean sawEarlierThanDelay = false;
        for (int i = 0; i < 1_000; i++) {
            long now = i * MS / 10;
            long at = link.admit(100, now);
            link.delivered(100);
            assertThat(at).isGreaterThanOrEqualTo(now + 30 * MS).isGreaterThanOrEqualTo(previous);
            // Ordering may push a datagram past its own jitter draw, but never past the previous one plus 70 ms.
            assertThat(at).isLessThanOrEqualTo(Math.max(previous, now + 70 * MS));
            sawEarlierThanDelay |= at < now + 50 * MS;
            previous = at;
        }
        assertThat(sawEarlierThanDelay).as("negative jitter is drawn too").isTrue();
    }

    @Test
    void lossRateFollowsTheProbabilityAndTheSeed() {
        LinkConditions a = new LinkConditions("eu->us", 11).loss(0.3);
        LinkConditions b = new LinkConditions("eu->us", 11).loss(0.3);
        LinkConditions c = new LinkConditions("eu->us", 12).loss(0.3);
        StringBuilder pa = new StringBuilder();
        StringBuilder pb = new StringBuilder();
        StringBuilder pc = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            pa.append(a.admit(10, i) < 0 ? 'x' : '.');
            pb.append(b.admit(10, i) < 0 ? 'x' : '.');
            pc.append(c.admit(10, i) < 0 ? 'x' : '.');
        }
        assertThat(pb.toString()).isEqualTo(pa.toString());
        assertThat(pc.toString()).isNotEqualTo(pa.toString());
        assertThat(a.stats().droppedLoss()).isBetween(500L, 700L);
    }

    @Test
    void bandwidthSerialisesDatagramsBackToBack() {
        LinkConditions link = new LinkConditions("eu->us", 1).bandwidth(1_000_000);

        // 1000 bytes at 1 MB/s take 1 ms on the wire; three sent at once leave at 1, 2 and 3 ms.
        assertThat(link.admit(1_000, 0)).isEqualTo(MS);
        assertThat(link.admit(1_000, 0)).isEqualTo(2 * MS);
        assertThat(link.admit(1_000, 0)).isEqualTo(3 * MS);
        // An idle wire starts fresh.
        assertThat(link.admit(1_000, 100 * MS)).isEqualTo(101 * MS);
    }

    @Test
    void queuedBytesAreBoundedAndReleasedOnDelivery() {
        LinkConditions link = new LinkConditions("eu->us", 1, 10_000);
        for (int i = 0; i < 20; i++) {
            link.admit(1_000, 0);
        }
        assertThat(link.stats().admitted()).isEqualTo(10);
        assertThat(link.stats().droppedOverflow()).isEqualTo(10);
        assertThat(link.stats().queuedBytes()).isEqualTo(10_000);

        link.delivered(1_000);
        link.sendFailed(1_000);

        assertThat(link.stats().queuedBytes()).isEqualTo(8_000);
        assertThat(link.stats().forwarded()).isEqualTo(1);
        assertThat(link.stats().dropped()).isEqualTo(11);
        assertThat(link.admit(1_000, 0)).isNotNegative();
    }

    @Test
    void partitionDropsWithoutConsumingTheQueue() {
        LinkConditions link = new LinkConditions("eu->us", 1).partitioned(true);

        assertThat(link.admit(100, 0)).isNegative();
        assertThat(link.stats().droppedPartition()).isEqualTo(1);
        assertThat(link.stats().queuedBytes()).isZero();
    }

    @Test
    void rejectsNonsenseSettings() {
        LinkConditions link = new LinkConditions("eu->us", 1);
        assertThatThrownBy(() -> link.loss(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> link.loss(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> link.delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> link.bandwidth(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
