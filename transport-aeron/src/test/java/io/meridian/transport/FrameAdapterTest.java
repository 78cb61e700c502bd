package io.meridian.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.transport.DropCounters.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FrameAdapterTest {

    private final SenderIdentity sender = new SenderIdentity("eu", "n1", "127.0.0.1:5000", 1_000);
    private final FrameAdapter adapter =
        new FrameAdapter(new FrameAuthenticator(TestMessages.SECRET), new DropCounters());
    private final List<Envelope> delivered = new ArrayList<>();

    @Test
    void deliversEveryMessageTypeWithSenderDetails() {
        Frames frames = new Frames(sender, TestMessages.SECRET);
        List<Message> messages = TestMessages.oneOfEach(1024, new Random(5));
        for (Message message : messages) {
            assertThat(feed(frames.next(11, message))).isTrue();
        }
        assertThat(delivered).hasSize(messages.size());
        assertThat(delivered).allSatisfy(e -> {
            assertThat(e.senderRegion()).isEqualTo("eu");
            assertThat(e.senderNode()).isEqualTo("n1");
            assertThat(e.senderEndpoint()).isEqualTo("127.0.0.1:5000");
            assertThat(e.senderEpoch()).isEqualTo(11);
        });
        assertThat(delivered.stream().map(Envelope::message).toList())
            .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(messages);
        assertThat(adapter.dropCounters().total()).isZero();
    }

    @Test
    void wrongSecretIsBadMacAndNeverDelivered() {
        Frames intruder = new Frames(sender, TestMessages.OTHER_SECRET);
        for (Message message : TestMessages.oneOfEach(64, new Random(6))) {
            assertThat(feed(intruder.next(1, message))).isFalse();
        }
        assertThat(delivered).isEmpty();
        assertThat(adapter.dropCounters().get(Reason.BAD_MAC)).isEqualTo(18);
        assertThat(adapter.dropCounters().total()).isEqualTo(18);
    }

    @Test
    void sameBytesTwiceIsReplayed() {
        byte[] frame = new Frames(sender, TestMessages.SECRET).next(1, new Message.Ack(10, 1));
        assertThat(feed(frame)).isTrue();
        assertThat(feed(frame)).isFalse();
        assertThat(delivered).hasSize(1);
        assertThat(adapter.dropCounters().get(Reason.REPLAYED)).isEqualTo(1);
    }

    @Test
    void olderSequenceIsReplayedButARestartedSenderIsAccepted() {
        Frames frames = new Frames(sender, TestMessages.SECRET);
        assertThat(feed(frames.withSeq(5, 1, new Message.Ack(5, 1)))).isTrue();
        assertThat(feed(frames.withSeq(4, 1, new Message.Ack(4, 1)))).isFalse();
        assertThat(feed(frames.withSeq(9, 1, new Message.Ack(9, 1)))).isTrue();

        SenderIdentity restarted = new SenderIdentity("eu", "n1", "127.0.0.1:5000", 2_000);
        assertThat(feed(new Frames(restarted, TestMessages.SECRET).withSeq(1, 2, new Message.Ack(1, 2)))).isTrue();
        assertThat(adapter.dropCounters().get(Reason.REPLAYED)).isEqualTo(1);
        assertThat(delivered).hasSize(3);
    }

    @Test
    void forgedFrameCannotPoisonTheReplayGuard() {
        // An intruder claiming the real sender's identity with a huge incarnation must not lock it out.
        SenderIdentity forged = new SenderIdentity("eu", "n1", "127.0.0.1:5000", Long.MAX_VALUE);
        assertThat(feed(new Frames(forged, TestMessages.OTHER_SECRET).next(1, new Message.Ack(1, 1)))).isFalse();
        assertThat(feed(new Frames(sender, TestMessages.SECRET).next(1, new Message.Ack(1, 1)))).isTrue();
        assertThat(adapter.dropCounters().get(Reason.BAD_MAC)).isEqualTo(1);
    }

    @Test
    void independentSendersHaveIndependentSequences() {
        SenderIdentity other = new SenderIdentity("us", "n1", "127.0.0.1:6000", 1_000);
        assertThat(feed(new Frames(sender, TestMessages.SECRET).withSeq(100, 1, new Message.Ack(1, 1)))).isTrue();
        assertThat(feed(new Frames(other, TestMessages.SECRET).withSeq(1, 1, new Message.Ack(1, 1)))).isTrue();
        assertThat(delivered).extracting(Envelope::senderRegion).containsExactly("eu", "us");
    }

    private boolean feed(byte[] frame) {
        return adapter.onFrame(new UnsafeBuffer(frame), 0, frame.length, delivered::add);
    }
}
