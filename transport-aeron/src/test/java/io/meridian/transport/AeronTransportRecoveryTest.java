package io.meridian.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real embedded media driver: frames sized by {@link FrameLimits}, and recovery from a closed Aeron client. */
@Timeout(90)
class AeronTransportRecoveryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<AeronTransport> transports = new ArrayList<>();

    @AfterEach
    void closeAll() {
        transports.forEach(AeronTransport::close);
        assertThat(EmbeddedDriver.leaseCount()).isZero();
    }

    @Test
    void aTermSizedByFrameLimitsCarriesABatchOfOneMebibyteEntries() {
        int batchBytes = 1024 * 1024 + 300;
        int termLength = FrameLimits.termLengthFor(batchBytes);
        assertThat(termLength).isEqualTo(16 * 1024 * 1024);
        AeronTransport eu = start("eu", termLength);
        AeronTransport us = start("us", termLength);
        byte[] entries = new byte[batchBytes];
        new Random(5).nextBytes(entries);
        Message.Batch batch = new Message.Batch(1, 1, 1, 1, false, entries.length, entries);
        sendEventually(eu, us.localEndpoint(), batch);
        assertThat(receive(us, new ConcurrentLinkedQueue<>()).message()).usingRecursiveComparison().isEqualTo(batch);
    }

    @Test
    void aClosedAeronClientIsRebuiltAndMessagesFlowAgain() {
        AeronTransport eu = start("eu", FrameLimits.MIN_TERM_LENGTH);
        AeronTransport us = start("us", FrameLimits.MIN_TERM_LENGTH);
        Queue<Envelope> atUs = new ConcurrentLinkedQueue<>();
        sendEventually(eu, us.localEndpoint(), new Message.Ack(1, 1));
        assertThat(receive(us, atUs).message()).isEqualTo(new Message.Ack(1, 1));

        // What Aeron does itself after a conductor service timeout (e.g. a 10+ s SIGSTOP).
        eu.aeronClient().close();
        assertThat(eu.send(us.localEndpoint(), 1, new Message.Ack(2, 1))).as("not connected while closed").isFalse();

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> {
            eu.poll(e -> { }, 10);
            us.poll(atUs::add, 10);
            return eu.generation() == 1 && us.generation() == 1;
        });
        sendEventually(eu, us.localEndpoint(), new Message.Ack(3, 1));
        assertThat(receive(us, atUs).message()).isEqualTo(new Message.Ack(3, 1));
        assertThat(EmbeddedDriver.leaseCount()).isEqualTo(2);
    }

    private AeronTransport start(String region, int termLength) {
        AeronTransport transport = AeronTransport.launch(new AeronTransport.Context()
            .endpoint(TestPorts.nextEndpoint()).regionId(region).nodeId("n1").secret(TestMessages.SECRET)
            .termLength(termLength));
        transports.add(transport);
        return transport;
    }

    private static void sendEventually(AeronTransport from, String to, Message message) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> from.send(to, 1, message));
    }

    private static Envelope receive(AeronTransport at, Queue<Envelope> inbox) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1)).until(() -> {
            at.poll(inbox::add, 10);
            return !inbox.isEmpty();
        });
        return inbox.poll();
    }
}
