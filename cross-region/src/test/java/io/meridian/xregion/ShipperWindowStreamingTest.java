package io.meridian.xregion;

import io.meridian.transport.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static io.meridian.xregion.WindowFixture.ACK_TIMEOUT;
import static io.meridian.xregion.WindowFixture.BACKOFF_MIN;
import static io.meridian.xregion.WindowFixture.MAX_BATCHES;
import static io.meridian.xregion.WindowFixture.MAX_BYTES;
import static io.meridian.xregion.WindowFixture.ms;
import static io.meridian.xregion.WindowFixture.streaming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Streaming behaviour of {@link ShipperWindow}: flow control, acks, timeouts and rejects. */
@Timeout(10)
class ShipperWindowStreamingTest {

    @Test
    void happyPathShipsAndAcks() {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 10, 100, ms(1));
        window.onBatchSent(11, 20, 150, ms(2));
        assertThat(window.shippedIndex()).isEqualTo(20);
        assertThat(window.nextIndexToShip()).isEqualTo(21);
        assertThat(window.inFlightBatches()).isEqualTo(2);
        assertThat(window.inFlightBytes()).isEqualTo(250);

        assertThat(window.onAck(10, ms(3))).isEmpty();
        assertThat(window.ackedIndex()).isEqualTo(10);
        assertThat(window.inFlightBatches()).isEqualTo(1);
        assertThat(window.inFlightBytes()).isEqualTo(150);

        assertThat(window.onAck(20, ms(4))).isEmpty();
        assertThat(window.inFlightBatches()).isZero();
        assertThat(window.tick(ms(4) + ACK_TIMEOUT)).as("nothing in flight, nothing times out").isEmpty();
    }

    @Test
    void anEndpointThatCannotBeSentToForAnAckTimeoutIsLeft() {
        final ShipperWindow window = streaming(0, 0);
        // Nothing in flight, so no ack timeout can run; the transport refuses the next batch.
        assertThat(window.onSendBlocked(ms(10), ms(10) + ACK_TIMEOUT - 1)).as("not yet").isEmpty();
        assertThat(window.state()).isEqualTo(ShipperState.STREAMING);

        assertThat(window.onSendBlocked(ms(10), ms(10) + ACK_TIMEOUT)).singleElement()
                .isInstanceOf(ShipperAction.Disconnected.class);
        assertThat(window.state()).isEqualTo(ShipperState.DISCONNECTED);
        assertThat(window.lastDisconnectReason()).contains("unreachable");
        assertThat(window.onSendBlocked(ms(10), ms(10) + 2 * ACK_TIMEOUT)).as("only while streaming").isEmpty();
    }

    @Test
    void fullWindowByBatchCountIsFreedByAnAck() {
        final ShipperWindow window = streaming(0, 0);
        for (int i = 0; i < MAX_BATCHES; i++) {
            assertThat(window.canSend(10)).isTrue();
            window.onBatchSent(i + 1, i + 1, 10, 0);
        }
        assertThat(window.canSend(10)).isFalse();
        assertThatThrownBy(() -> window.onBatchSent(MAX_BATCHES + 1, MAX_BATCHES + 1, 10, 0))
                .as("bookkeeping never exceeds maxInFlightBatches")
                .isInstanceOf(IllegalStateException.class);

        window.onAck(1, ms(1));
        assertThat(window.canSend(10)).isTrue();
    }

    @Test
    void fullWindowByBytesIsFreedByAnAck() {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 5, 600, 0);
        assertThat(window.canSend(MAX_BYTES - 600)).isTrue();
        assertThat(window.canSend(MAX_BYTES - 600 + 1)).isFalse();

        window.onAck(5, ms(1));
        assertThat(window.canSend(MAX_BYTES)).isTrue();
    }

    @Test
    void oneBatchLargerThanTheWindowIsAllowedWhenNothingIsInFlight() {
        final ShipperWindow window = streaming(0, 0);
        assertThat(window.canSend(MAX_BYTES * 10)).isTrue();
        window.onBatchSent(1, 1, MAX_BYTES * 10, 0);
        assertThat(window.canSend(1)).isFalse();
    }

    @Test
    void batchesMustContinueAtTheTailerPosition() {
        final ShipperWindow window = streaming(10, 0);
        assertThatThrownBy(() -> window.onBatchSent(12, 15, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> window.onBatchSent(11, 10, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> window.onBatchSent(11, 11, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(window.inFlightBatches()).isZero();
    }

    @Test
    void partialAckKeepsTheBatchInFlight() {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 10, 100, 0);

        window.onAck(5, ms(1));
        assertThat(window.ackedIndex()).isEqualTo(5);
        assertThat(window.inFlightBatches()).isEqualTo(1);
    }

    @ParameterizedTest(name = "acks {0} -> acked {1}")
    @CsvSource({
            "'10,5', 10",
            "'10,10', 10",
            "'5,10,7,10', 10",
            "'0,-1', 0",
            "'20,30,25,40', 40"})
    void oldAndDuplicateAcksAreIgnored(String acks, long expectedAcked) {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 20, 100, 0);
        window.onBatchSent(21, 40, 100, 0);
        for (String ack : acks.split(",")) {
            assertThat(window.onAck(Long.parseLong(ack), ms(1))).isEmpty();
        }
        assertThat(window.ackedIndex()).isEqualTo(expectedAcked);
    }

    @Test
    void ackBeyondAnythingShippedIsClamped() {
        final ShipperWindow window = streaming(100, 0);
        window.onBatchSent(101, 110, 100, 0);

        assertThat(window.onAck(500, ms(1))).isEmpty();
        assertThat(window.ackedIndex()).isEqualTo(110);
        assertThat(window.clampedAcks()).isEqualTo(1);
        assertThat(window.nextIndexToShip()).isEqualTo(111);

        assertThat(window.onAck(600, ms(2))).as("nothing new to count").isEmpty();
        assertThat(window.ackedIndex()).isEqualTo(110);
        assertThat(window.clampedAcks()).isEqualTo(2);
    }

    @Test
    void ackTimeoutRewindsToAckedPlusOne() {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 10, 100, ms(100));
        window.onBatchSent(11, 20, 100, ms(200));
        window.onAck(10, ms(300));

        assertThat(window.nextDeadlineNanos()).isEqualTo(ms(200) + ACK_TIMEOUT);
        assertThat(window.tick(ms(200) + ACK_TIMEOUT - 1)).isEmpty();
        assertThat(window.tick(ms(200) + ACK_TIMEOUT)).containsExactly(new ShipperAction.SeekTailer(11));
        assertThat(window.state()).isEqualTo(ShipperState.STREAMING);
        assertThat(window.nextIndexToShip()).isEqualTo(11);
        assertThat(window.inFlightBatches()).isZero();
        assertThat(window.ackedIndex()).isEqualTo(10);
    }

    @Test
    void repeatedAckTimeoutsWithoutProgressReconnect() {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 10, 100, 0);
        assertThat(window.tick(ACK_TIMEOUT)).containsExactly(new ShipperAction.SeekTailer(1));

        window.onBatchSent(1, 10, 100, ACK_TIMEOUT);
        final long second = 2 * ACK_TIMEOUT;
        assertThat(window.tick(second)).containsExactly(new ShipperAction.Disconnected("no ack for 2 ack timeouts"));
        assertThat(window.state()).isEqualTo(ShipperState.DISCONNECTED);
        assertThat(window.lastDisconnectReason()).contains("ack");
        assertThat(window.tick(second + BACKOFF_MIN))
                .as("the last known leader is retried first")
                .containsExactly(new ShipperAction.SendHandshake("a:1"));
    }

    @Test
    void ackProgressResetsTheTimeoutCount() {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 10, 100, 0);
        assertThat(window.tick(ACK_TIMEOUT)).containsExactly(new ShipperAction.SeekTailer(1));
        window.onBatchSent(1, 10, 100, ACK_TIMEOUT);
        window.onBatchSent(11, 20, 100, ACK_TIMEOUT);
        window.onAck(10, ACK_TIMEOUT + 1);

        assertThat(window.tick(2 * ACK_TIMEOUT)).containsExactly(new ShipperAction.SeekTailer(11));
        assertThat(window.state()).isEqualTo(ShipperState.STREAMING);
    }

    @Test
    void lateAckAfterARewindSkipsWhatTheRemoteAlreadyHas() {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 10, 100, 0);
        window.onBatchSent(11, 20, 100, 0);
        window.tick(ACK_TIMEOUT);
        window.onBatchSent(1, 10, 100, ACK_TIMEOUT);

        assertThat(window.onAck(20, ACK_TIMEOUT + 1)).containsExactly(new ShipperAction.SeekTailer(21));
        assertThat(window.ackedIndex()).isEqualTo(20);
        assertThat(window.inFlightBatches()).isZero();
        assertThat(window.clampedAcks()).isZero();
    }

    @Test
    void gapRejectSeeksToTheExpectedIndexOnce() {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 10, 100, 0);
        window.onBatchSent(11, 20, 100, 0);
        window.onBatchSent(21, 30, 100, 0);

        assertThat(window.onReject(RejectReason.GAP, 11, 7, "", ms(1))).containsExactly(new ShipperAction.SeekTailer(11));
        assertThat(window.nextIndexToShip()).isEqualTo(11);
        assertThat(window.inFlightBatches()).isZero();
        assertThat(window.ackedIndex()).as("a gap says nothing about what was applied").isZero();

        window.onBatchSent(11, 20, 100, ms(2));
        assertThat(window.onReject(RejectReason.GAP, 11, 7, "", ms(3)))
                .as("the rejects of batches sent before the rewind repeat the same gap")
                .isEmpty();
        assertThat(window.nextIndexToShip()).isEqualTo(21);

        window.onAck(20, ms(4));
        window.onBatchSent(21, 30, 100, ms(5));
        assertThat(window.onReject(RejectReason.GAP, 21, 7, "", ms(6))).containsExactly(new ShipperAction.SeekTailer(21));
    }

    @ParameterizedTest
    @CsvSource({"5", "4", "32"})
    void gapOutsideTheWindowForcesAFreshHandshake(long expected) {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 20, 100, 0);
        window.onBatchSent(21, 30, 100, 0);
        window.onAck(4, 0);
        window.onAck(5, 0);

        assertThat(window.onReject(RejectReason.GAP, expected, 7, "", ms(1)))
                .singleElement().isInstanceOf(ShipperAction.Disconnected.class);
        assertThat(window.state()).isEqualTo(ShipperState.DISCONNECTED);
    }

    @Test
    void overloadRejectPausesThenResendsFromTheExpectedIndex() {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 10, 100, 0);
        window.onBatchSent(11, 20, 100, 0);

        assertThat(window.onReject(RejectReason.OVERLOADED, 11, 7, "", ms(10)))
                .containsExactly(new ShipperAction.SeekTailer(11));
        assertThat(window.canSend(1)).isFalse();
        assertThat(window.nextDeadlineNanos()).isEqualTo(ms(10) + BACKOFF_MIN);
        window.tick(ms(10) + BACKOFF_MIN - 1);
        assertThat(window.canSend(1)).isFalse();
        window.tick(ms(10) + BACKOFF_MIN);
        assertThat(window.canSend(1)).isTrue();
    }

    @Test
    void overloadRejectWithoutIndexResendsFromAckedPlusOne() {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 10, 100, 0);
        window.onAck(3, 0);

        assertThat(window.onReject(RejectReason.OVERLOADED, 0, 7, "", 0)).containsExactly(new ShipperAction.SeekTailer(4));
    }

    @Test
    void notLeaderRejectWhileStreamingFollowsTheHint() {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 10, 100, 0);

        assertThat(window.onReject(RejectReason.NOT_LEADER, 0, 7, "b:2", ms(1))).containsExactly(
                new ShipperAction.Disconnected("remote node is no longer leader"),
                new ShipperAction.SendHandshake("b:2"));
        assertThat(window.state()).isEqualTo(ShipperState.HANDSHAKING);
        assertThat(window.inFlightBatches()).isZero();
        assertThat(window.reconnects()).isEqualTo(1);
    }

    @Test
    void notLeaderRejectWithoutHintRotatesAfterBackoff() {
        final ShipperWindow window = streaming(0, 0);

        assertThat(window.onReject(RejectReason.NOT_LEADER, 0, 7, "", ms(1)))
                .containsExactly(new ShipperAction.Disconnected("remote node is no longer leader"));
        assertThat(window.tick(ms(1) + BACKOFF_MIN)).containsExactly(new ShipperAction.SendHandshake("b:2"));
    }

    @ParameterizedTest
    @EnumSource(value = RejectReason.class, names = {"DIVERGED", "UNKNOWN"})
    void otherStreamingRejectsReconnectToTheSameEndpoint(RejectReason reason) {
        final ShipperWindow window = streaming(0, 0);
        window.onBatchSent(1, 10, 100, 0);

        assertThat(window.onReject(reason, 0, 7, "", ms(1)))
                .containsExactly(new ShipperAction.Disconnected("rejected: " + reason));
        assertThat(window.inFlightBatches()).isZero();
        assertThat(window.canSend(1)).isFalse();
        assertThat(window.onAck(10, ms(2))).as("acks are ignored until a new handshake").isEmpty();
        assertThat(window.tick(ms(1) + BACKOFF_MIN)).containsExactly(new ShipperAction.SendHandshake("a:1"));
        assertThat(window.onHandshakeReply(8, 7, true, "", ms(60))).containsExactly(new ShipperAction.SeekTailer(9));
        assertThat(window.ackedIndex()).as("the handshake is authoritative").isEqualTo(8);
    }

    @Test
    void timersWorkWithNegativeNanoTime() {
        final long base = -ms(1_000_000);
        final ShipperWindow window = streaming(0, base);
        window.onBatchSent(1, 1, 10, base);
        window.onReject(RejectReason.OVERLOADED, 1, 7, "", base);
        assertThat(window.nextDeadlineNanos()).isEqualTo(base + BACKOFF_MIN);

        window.tick(base + BACKOFF_MIN);
        window.onBatchSent(1, 1, 10, base + BACKOFF_MIN);
        assertThat(window.tick(base + BACKOFF_MIN + ACK_TIMEOUT - 1)).isEmpty();
        assertThat(window.tick(base + BACKOFF_MIN + ACK_TIMEOUT)).containsExactly(new ShipperAction.SeekTailer(1));
    }
}
