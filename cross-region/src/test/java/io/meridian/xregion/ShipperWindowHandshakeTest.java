package io.meridian.xregion;

import io.meridian.transport.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static io.meridian.xregion.WindowFixture.ENDPOINTS;
import static io.meridian.xregion.WindowFixture.config;
import static io.meridian.xregion.WindowFixture.ms;
import static io.meridian.xregion.WindowFixture.streaming;
import static io.meridian.xregion.WindowFixture.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connection life of {@link ShipperWindow}: handshakes, endpoints, backoff, fencing, divergence, stop. */
@Timeout(10)
class ShipperWindowHandshakeTest {

    @Test
    void startsStoppedAndHandshakesWithTheFirstEndpoint() {
        final ShipperWindow window = window();
        assertThat(window.state()).isEqualTo(ShipperState.STOPPED);
        assertThat(window.tick(ms(10_000))).isEmpty();

        assertThat(window.start(0)).containsExactly(new ShipperAction.SendHandshake("a:1"));
        assertThat(window.state()).isEqualTo(ShipperState.HANDSHAKING);
        assertThat(window.start(ms(1))).as("start is idempotent").isEmpty();
        assertThat(window.reconnects()).isZero();
    }

    @Test
    void leaderReplyStartsStreamingAfterTheRemotesLastIndex() {
        final ShipperWindow window = window();
        window.start(0);

        assertThat(window.onHandshakeReply(42, 7, true, "", ms(5))).containsExactly(new ShipperAction.SeekTailer(43));
        assertThat(window.state()).isEqualTo(ShipperState.STREAMING);
        assertThat(window.ackedIndex()).isEqualTo(42);
        assertThat(window.shippedIndex()).isEqualTo(42);
        assertThat(window.nextIndexToShip()).isEqualTo(43);
        assertThat(window.canSend(100)).isTrue();
    }

    @Test
    void emptyRemoteStreamsFromOneWithoutConsultingTheLog() {
        final ShipperWindow window = new ShipperWindow("eu", ENDPOINTS, config(), (index, epoch) -> {
            throw new AssertionError("no entry to match");
        });
        window.start(0);

        assertThat(window.onHandshakeReply(0, 0, true, "", 0)).containsExactly(new ShipperAction.SeekTailer(1));
    }

    @Test
    void divergentRemoteTailIsReportedAndNothingIsStreamed() {
        final List<long[]> asked = new ArrayList<>();
        final ShipperWindow window = new ShipperWindow("eu", ENDPOINTS, config(), (index, epoch) -> {
            asked.add(new long[] {index, epoch});
            return false;
        });
        window.start(0);

        assertThat(window.onHandshakeReply(90, 6, true, "", 0)).containsExactly(new ShipperAction.ReportDiverged(90, 6));
        assertThat(asked).containsExactly(new long[] {90, 6});
        assertThat(window.state()).isEqualTo(ShipperState.STOPPED);
        assertThat(window.canSend(1)).isFalse();
        assertThat(window.tick(ms(60_000))).as("no reconnect after divergence").isEmpty();
    }

    @Test
    void remoteAheadOfTheLocalLogIsDivergent() {
        final ShipperWindow window = window();
        window.start(0);

        assertThat(window.onHandshakeReply(1001, 7, true, "", 0))
                .containsExactly(new ShipperAction.ReportDiverged(1001, 7));
    }

    @Test
    void leaderHintRedirectsImmediatelyAndBecomesTheKnownLeader() {
        final ShipperWindow window = window();
        window.start(0);

        assertThat(window.onHandshakeReply(0, 0, false, "c:3", ms(3)))
                .containsExactly(new ShipperAction.SendHandshake("c:3"));
        assertThat(window.state()).isEqualTo(ShipperState.HANDSHAKING);
        assertThat(window.targetEndpoint()).isEqualTo("c:3");
        assertThat(window.reconnects()).isEqualTo(1);

        window.onHandshakeReply(10, 7, true, "", ms(4));
        window.onReject(RejectReason.UNKNOWN, 0, 0, "", ms(5));
        assertThat(window.tick(ms(5) + WindowFixture.BACKOFF_MIN))
                .as("reconnects go to the last known leader")
                .containsExactly(new ShipperAction.SendHandshake("c:3"));
    }

    @Test
    void hintOutsideTheConfiguredListIsFollowed() {
        final ShipperWindow window = window();
        window.start(0);

        assertThat(window.onHandshakeReply(0, 0, false, "new:9", 0))
                .containsExactly(new ShipperAction.SendHandshake("new:9"));
        window.tick(WindowFixture.HANDSHAKE_TIMEOUT);
        assertThat(window.targetEndpoint()).as("rotation continues in the list").isEqualTo("b:2");
    }

    @Test
    void circularHintsAreFollowedAtMostOncePerEndpointThenBackOff() {
        final ShipperWindow window = window();
        window.start(0);
        final String[] hints = {"b:2", "a:1", "b:2"};
        for (String hint : hints) {
            assertThat(window.onHandshakeReply(0, 0, false, hint, 0))
                    .containsExactly(new ShipperAction.SendHandshake(hint));
        }

        assertThat(window.onHandshakeReply(0, 0, false, "a:1", 0)).isEmpty();
        assertThat(window.state()).isEqualTo(ShipperState.DISCONNECTED);
        assertThat(window.nextDeadlineNanos()).isEqualTo(WindowFixture.BACKOFF_MIN);
    }

    @Test
    void nonLeaderWithoutHintRotatesAfterBackoff() {
        final ShipperWindow window = window();
        window.start(0);

        assertThat(window.onHandshakeReply(0, 0, false, "", ms(10))).isEmpty();
        assertThat(window.state()).isEqualTo(ShipperState.DISCONNECTED);
        assertThat(window.tick(ms(59))).isEmpty();
        assertThat(window.tick(ms(60))).containsExactly(new ShipperAction.SendHandshake("b:2"));
    }

    @Test
    void notLeaderRejectDuringHandshakeFollowsTheHint() {
        final ShipperWindow window = window();
        window.start(0);

        assertThat(window.onReject(RejectReason.NOT_LEADER, 0, 3, "b:2", 0))
                .containsExactly(new ShipperAction.SendHandshake("b:2"));
    }

    @ParameterizedTest
    @EnumSource(value = RejectReason.class, names = {"GAP", "DIVERGED", "OVERLOADED", "UNKNOWN"})
    void otherHandshakeRejectsRotateAfterBackoff(RejectReason reason) {
        final ShipperWindow window = window();
        window.start(0);

        assertThat(window.onReject(reason, 5, 3, "", 0)).isEmpty();
        assertThat(window.state()).isEqualTo(ShipperState.DISCONNECTED);
        assertThat(window.tick(WindowFixture.BACKOFF_MIN)).containsExactly(new ShipperAction.SendHandshake("b:2"));
    }

    @Test
    void handshakeTimeoutsRotateEndpointsWithDoublingCappedBackoff() {
        final ShipperWindow window = window();
        long now = 0;
        assertThat(window.start(now)).containsExactly(new ShipperAction.SendHandshake("a:1"));
        // Each row: the endpoint tried next and the backoff waited before trying it.
        final Object[][] schedule = {{"b:2", 50L}, {"c:3", 100L}, {"a:1", 200L}, {"b:2", 200L}};
        for (Object[] row : schedule) {
            final long timeoutAt = now + WindowFixture.HANDSHAKE_TIMEOUT;
            assertThat(window.tick(timeoutAt - 1)).isEmpty();
            assertThat(window.state()).isEqualTo(ShipperState.HANDSHAKING);
            assertThat(window.tick(timeoutAt)).isEmpty();
            assertThat(window.state()).isEqualTo(ShipperState.DISCONNECTED);
            assertThat(window.targetEndpoint()).isEqualTo(row[0]);

            final long retryAt = timeoutAt + ms((Long) row[1]);
            assertThat(window.nextDeadlineNanos()).isEqualTo(retryAt);
            assertThat(window.tick(retryAt - 1)).isEmpty();
            assertThat(window.tick(retryAt)).containsExactly(new ShipperAction.SendHandshake((String) row[0]));
            now = retryAt;
        }
        assertThat(window.reconnects()).isEqualTo(schedule.length);

        window.onHandshakeReply(0, 0, true, "", now);
        assertThat(window.onReject(RejectReason.UNKNOWN, 0, 0, "", now)).hasSize(1);
        assertThat(window.nextDeadlineNanos()).as("backoff resets on success").isEqualTo(now + WindowFixture.BACKOFF_MIN);
    }

    @Test
    void staleRepliesAreIgnored() {
        final ShipperWindow window = streaming(5, 0);

        assertThat(window.onHandshakeReply(99, 7, true, "", 0)).isEmpty();
        assertThat(window.nextIndexToShip()).isEqualTo(6);

        final ShipperWindow stopped = window();
        assertThat(stopped.onHandshakeReply(1, 7, true, "", 0)).isEmpty();
        assertThat(stopped.state()).isEqualTo(ShipperState.STOPPED);
    }

    @ParameterizedTest
    @EnumSource(value = ShipperState.class, names = {"HANDSHAKING", "STREAMING", "DISCONNECTED"})
    void staleEpochRejectFencesFromAnyLiveState(ShipperState from) {
        final ShipperWindow window = streaming(5, 0);
        window.onBatchSent(6, 8, 100, 0);
        if (from == ShipperState.DISCONNECTED) {
            window.onReject(RejectReason.UNKNOWN, 0, 0, "", 0);
        } else if (from == ShipperState.HANDSHAKING) {
            window.onReject(RejectReason.NOT_LEADER, 0, 0, "b:2", 0);
        }
        assertThat(window.state()).isEqualTo(from);

        assertThat(window.onReject(RejectReason.STALE_EPOCH, 0, 12, "", ms(1)))
                .containsExactly(new ShipperAction.Fenced(12));
        assertThat(window.state()).isEqualTo(ShipperState.STOPPED);
        assertThat(window.inFlightBatches()).isZero();
        assertThat(window.tick(ms(60_000))).isEmpty();
        assertThat(window.onReject(RejectReason.STALE_EPOCH, 0, 13, "", ms(2))).as("only fenced once").isEmpty();
    }

    @Test
    void stopClearsInFlightAndRestartHandshakesAgain() {
        final ShipperWindow window = streaming(5, 0);
        window.onBatchSent(6, 10, 200, 0);
        window.onBatchSent(11, 12, 200, 0);

        assertThat(window.stop(ms(1))).containsExactly(new ShipperAction.Disconnected("stopped"));
        assertThat(window.state()).isEqualTo(ShipperState.STOPPED);
        assertThat(window.inFlightBatches()).isZero();
        assertThat(window.inFlightBytes()).isZero();
        assertThat(window.canSend(1)).isFalse();
        assertThat(window.onAck(12, ms(2))).isEmpty();
        assertThat(window.ackedIndex()).isEqualTo(5);
        assertThat(window.stop(ms(3))).isEmpty();
        assertThatThrownBy(() -> window.onBatchSent(13, 13, 1, ms(3))).isInstanceOf(IllegalStateException.class);

        assertThat(window.start(ms(4))).containsExactly(new ShipperAction.SendHandshake("a:1"));
        assertThat(window.onHandshakeReply(12, 7, true, "", ms(5))).containsExactly(new ShipperAction.SeekTailer(13));
    }

    @Test
    void stopWhileHandshakingEmitsNothing() {
        final ShipperWindow window = window();
        window.start(0);

        assertThat(window.stop(0)).isEmpty();
        assertThat(window.state()).isEqualTo(ShipperState.STOPPED);
        assertThat(window.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rejectsAnEmptyEndpointList() {
        assertThatThrownBy(() -> new ShipperWindow("eu", List.of(), config(), (i, e) -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint");
    }
}
