package io.meridian.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meridian.transport.DropCounters.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(90)
class AeronTransportTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<AeronTransport> transports = new ArrayList<>();

    @AfterEach
    void closeAll() {
        transports.forEach(AeronTransport::close);
        assertThat(EmbeddedDriver.leaseCount()).isZero();
    }

    @Test
    void twoRegionsExchangeHandshakeBatchAndAck() {
        AeronTransport eu = start("eu", "n1", TestMessages.SECRET, 0);
        AeronTransport us = start("us", "n1", TestMessages.SECRET, 0);
        Queue<Envelope> atEu = new ConcurrentLinkedQueue<>();
        Queue<Envelope> atUs = new ConcurrentLinkedQueue<>();

        Message.Handshake handshake = new Message.Handshake(eu.localEndpoint(), 4, "eu");
        sendEventually(eu, us.localEndpoint(), 4, handshake);
        Envelope received = receive(us, atUs);
        assertThat(received.message()).isEqualTo(handshake);
        assertThat(received).extracting(Envelope::senderRegion, Envelope::senderNode, Envelope::senderEndpoint,
            Envelope::senderEpoch).containsExactly("eu", "n1", eu.localEndpoint(), 4L);

        Message.HandshakeReply reply = new Message.HandshakeReply(99, 3, 4, "eu", true, "");
        sendEventually(us, received.senderEndpoint(), 4, reply);
        assertThat(receive(eu, atEu).message()).isEqualTo(reply);

        byte[] entries = new byte[64 * 1024];
        new Random(11).nextBytes(entries);
        Message.Batch batch = new Message.Batch(4, 100, 163, 64, false, entries.length, entries);
        sendEventually(eu, us.localEndpoint(), 4, batch);
        assertThat(receive(us, atUs).message()).usingRecursiveComparison().isEqualTo(batch);

        sendEventually(us, eu.localEndpoint(), 4, new Message.Ack(163, 4));
        assertThat(receive(eu, atEu).message()).isEqualTo(new Message.Ack(163, 4));

        assertThat(eu.dropCounters().total()).isZero();
        assertThat(us.dropCounters().total()).isZero();
        assertThat(eu.isConnected(us.localEndpoint())).isTrue();
    }

    @Test
    void largeMtuCarriesABatchNearTheMaxMessageLength() {
        AeronTransport eu = start("eu", "n1", TestMessages.SECRET, 8192);
        AeronTransport us = start("us", "n1", TestMessages.SECRET, 8192);
        byte[] entries = new byte[120 * 1024];
        new Random(12).nextBytes(entries);
        Message.Batch batch = new Message.Batch(1, 1, 10, 10, true, 500_000, entries);
        sendEventually(eu, us.localEndpoint(), 1, batch);
        assertThat(receive(us, new ConcurrentLinkedQueue<>()).message()).usingRecursiveComparison().isEqualTo(batch);

        byte[] tooBig = new byte[AeronTransport.Context.DEFAULT_TERM_LENGTH / 8];
        assertThatThrownBy(() -> eu.send(us.localEndpoint(), 1, new Message.Batch(1, 1, 1, 1, false, 0, tooBig)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max message length");
    }

    @Test
    void framesUnderTheWrongSecretAreDroppedAndCounted() {
        AeronTransport us = start("us", "n1", TestMessages.SECRET, 0);
        AeronTransport intruder = start("eu", "n1", TestMessages.OTHER_SECRET, 0);
        AeronTransport eu = start("eu", "n2", TestMessages.SECRET, 0);
        Queue<Envelope> atUs = new ConcurrentLinkedQueue<>();

        int sent = 0;
        while (sent < 5) {
            sendEventually(intruder, us.localEndpoint(), 1, new Message.Ack(sent, 1));
            sent++;
        }
        await().atMost(PATIENCE).until(() -> {
            us.poll(atUs::add, 10);
            return us.dropCounters().get(Reason.BAD_MAC) == 5;
        });
        assertThat(atUs).isEmpty();

        // The receiver still accepts the real cluster: the drops were about the secret.
        sendEventually(eu, us.localEndpoint(), 1, new Message.Ack(7, 1));
        assertThat(receive(us, atUs).senderNode()).isEqualTo("n2");
        assertThat(us.dropCounters().total()).isEqualTo(5);
    }

    @Test
    void concurrentSendersToOneEndpointArriveWithoutReplayDrops() throws InterruptedException {
        AeronTransport eu = start("eu", "n1", TestMessages.SECRET, 0);
        AeronTransport us = start("us", "n1", TestMessages.SECRET, 0);
        sendEventually(eu, us.localEndpoint(), 1, new Message.Ping(1, "eu", 0));
        Queue<Envelope> atUs = new ConcurrentLinkedQueue<>();
        int threads = 3;
        int perThread = 300;
        AtomicBoolean failed = new AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = t * 1_000L;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < perThread && !failed.get(); i++) {
                    Message.Ack ack = new Message.Ack(base + i, 1);
                    long deadline = System.nanoTime() + PATIENCE.toNanos();
                    while (!eu.send(us.localEndpoint(), 1, ack)) {
                        if (System.nanoTime() > deadline) {
                            failed.set(true);
                            return;
                        }
                        Thread.onSpinWait();
                    }
                }
            });
            sender.start();
            senders.add(sender);
        }
        await().atMost(PATIENCE).until(() -> {
            us.poll(atUs::add, 100);
            return atUs.size() == 1 + threads * perThread;
        });
        for (Thread sender : senders) {
            sender.join();
        }
        assertThat(failed).isFalse();
        assertThat(us.dropCounters().total()).isZero();
    }

    @Test
    void contextRejectsBadConfiguration() {
        AeronTransport.Context valid = new AeronTransport.Context().endpoint("127.0.0.1:1").regionId("eu")
            .nodeId("n1").secret(TestMessages.SECRET);
        assertThat(valid.conclude().incarnation()).isPositive();
        assertThatThrownBy(() -> new AeronTransport.Context().endpoint("127.0.0.1:1").regionId("eu").nodeId("n1")
            .conclude()).isInstanceOf(NullPointerException.class).hasMessageContaining("secret");
        assertThatThrownBy(() -> copy(valid).endpoint("localhost").conclude())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copy(valid).endpoint("localhost:99999").conclude())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copy(valid).termLength(3 * 65536).conclude())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copy(valid).termLength(32 * 1024).conclude())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copy(valid).mtu(1500).conclude()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copy(valid).regionId(" ").conclude()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendingToAMalformedEndpointFailsFastAndClosedTransportsRefuseWork() {
        AeronTransport eu = start("eu", "n1", TestMessages.SECRET, 0);
        assertThatThrownBy(() -> eu.send("no-port", 1, new Message.Ack(1, 1)))
            .isInstanceOf(IllegalArgumentException.class);
        eu.close();
        assertThatThrownBy(() -> eu.send("127.0.0.1:9", 1, new Message.Ack(1, 1)))
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> eu.poll(e -> { }, 1)).isInstanceOf(IllegalStateException.class);
    }

    private static AeronTransport.Context copy(AeronTransport.Context ctx) {
        return new AeronTransport.Context().endpoint(ctx.endpoint()).regionId(ctx.regionId()).nodeId(ctx.nodeId())
            .secret(TestMessages.SECRET);
    }

    private AeronTransport start(String region, String node, ClusterSecret secret, int mtu) {
        AeronTransport.Context ctx = new AeronTransport.Context().endpoint(TestPorts.nextEndpoint())
            .regionId(region).nodeId(node).secret(secret);
        if (mtu > 0) {
            ctx.mtu(mtu);
        }
        AeronTransport transport = AeronTransport.launch(ctx);
        transports.add(transport);
        return transport;
    }

    private static void sendEventually(AeronTransport from, String to, long epoch, Message message) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> from.send(to, epoch, message));
    }

    private static Envelope receive(AeronTransport at, Queue<Envelope> inbox) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1)).until(() -> {
            at.poll(inbox::add, 10);
            return !inbox.isEmpty();
        });
        return inbox.poll();
    }
}
