package io.meridian.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.transport.DropCounters.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoopbackTransportTest {

    private final LoopbackNetwork network = new LoopbackNetwork();
    private final LoopbackTransport eu = network.transport("eu:1", "eu", "n1", TestMessages.SECRET);
    private final LoopbackTransport us = network.transport("us:1", "us", "n1", TestMessages.SECRET);
    private final List<Envelope> atUs = new ArrayList<>();

    @AfterEach
    void close() {
        eu.close();
        us.close();
    }

    @Test
    void deliversEveryMessageTypeOnPollOnly() {
        List<Message> messages = TestMessages.oneOfEach(64 * 1024, new Random(8));
        for (Message message : messages) {
            assertThat(eu.send("us:1", 3, message)).isTrue();
        }
        assertThat(atUs).isEmpty();
        assertThat(us.poll(atUs::add, 5)).isEqualTo(5);
        assertThat(us.poll(atUs::add, 100)).isEqualTo(messages.size() - 5);
        assertThat(atUs.stream().map(Envelope::message).toList())
            .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(messages);
        assertThat(atUs).allSatisfy(e -> assertThat(e.senderEndpoint()).isEqualTo("eu:1"));
    }

    @Test
    void unknownEndpointIsNotConnected() {
        assertThat(eu.send("nowhere:1", 1, new Message.Ack(1, 1))).isFalse();
    }

    @Test
    void unreachableNodeLosesFramesBothWays() {
        us.setReachable(false);
        assertThat(eu.send("us:1", 1, new Message.Ack(1, 1))).isTrue();
        assertThat(us.send("eu:1", 1, new Message.Ack(1, 1))).isTrue();
        assertThat(us.pendingFrames()).isZero();
        assertThat(eu.pendingFrames()).isZero();

        us.setReachable(true);
        assertThat(eu.send("us:1", 1, new Message.Ack(2, 1))).isTrue();
        us.poll(atUs::add, 10);
        assertThat(atUs).extracting(Envelope::message).containsExactly(new Message.Ack(2, 1));
    }

    @Test
    void cutIsOneDirectional() {
        network.cut("eu:1", "us:1");
        eu.send("us:1", 1, new Message.Ack(1, 1));
        us.send("eu:1", 1, new Message.Ack(1, 1));
        assertThat(us.pendingFrames()).isZero();
        assertThat(eu.pendingFrames()).isOne();
        network.heal("eu:1", "us:1");
        eu.send("us:1", 1, new Message.Ack(2, 1));
        assertThat(us.pendingFrames()).isOne();
    }

    @Test
    void replayedBytesAreDropped() {
        List<byte[]> captured = new ArrayList<>();
        network.tap((to, frame) -> captured.add(frame));
        eu.send("us:1", 1, new Message.Ack(1, 1));
        network.inject("us:1", captured.get(0));
        us.poll(atUs::add, 10);
        assertThat(atUs).hasSize(1);
        assertThat(us.dropCounters().get(Reason.REPLAYED)).isOne();
    }

    @Test
    void wrongSecretIsDroppedAndCounted() {
        try (LoopbackTransport intruder = network.transport("x:1", "eu", "n1", TestMessages.OTHER_SECRET)) {
            assertThat(intruder.send("us:1", 1, new Message.Ack(1, 1))).isTrue();
            us.poll(atUs::add, 10);
            assertThat(atUs).isEmpty();
            assertThat(us.dropCounters().get(Reason.BAD_MAC)).isOne();
        }
    }

    @Test
    void oversizedFramesAreRefusedLikeAeron() {
        byte[] tooBig = new byte[LoopbackTransport.MAX_FRAME_LENGTH];
        assertThatThrownBy(() -> eu.send("us:1", 1, new Message.Batch(1, 1, 1, 1, false, 0, tooBig)))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void endpointsAreExclusiveAndFreedOnClose() {
        assertThatThrownBy(() -> network.transport("eu:1", "eu", "n2", TestMessages.SECRET))
            .isInstanceOf(IllegalStateException.class);
        eu.close();
        assertThat(us.send("eu:1", 1, new Message.Ack(1, 1))).isFalse();
        network.transport("eu:1", "eu", "n2", TestMessages.SECRET).close();
    }

    @Test
    void concurrentSendersNeverTripTheReplayGuard() throws InterruptedException {
        int threads = 4;
        int perThread = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long id = t;
            Thread sender = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                    eu.send("us:1", 1, new Message.Ack(id * perThread + i, 1));
                }
            });
            sender.start();
            senders.add(sender);
        }
        Queue<Envelope> received = new ConcurrentLinkedQueue<>();
        start.countDown();
        for (Thread sender : senders) {
            sender.join();
        }
        us.poll(received::add, Integer.MAX_VALUE);
        assertThat(received).hasSize(threads * perThread);
        assertThat(us.dropCounters().total()).isZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
