package io.meridian.transport;

import java.util.List;
import java.util.Random;

/** One sample of every message type, for round-trip and fuzz tests. */
final class TestMessages {

    static final ClusterSecret SECRET = ClusterSecret.of("meridian-test-secret-0123456789");
    static final ClusterSecret OTHER_SECRET = ClusterSecret.of("some-other-cluster-secret-xyz");

    private TestMessages() {
    }

    static List<Message> oneOfEach(int payloadLength, Random random) {
        byte[] payload = new byte[payloadLength];
        random.nextBytes(payload);
        byte[] chunk = new byte[payloadLength / 2];
        random.nextBytes(chunk);
        return List.of(
            new Message.Handshake("127.0.0.1:40123", 7, "eu-west"),
            new Message.HandshakeReply(1_000_000L, 6, 7, "eu-west", false, "10.0.0.2:40001"),
            new Message.HandshakeReply(0, 0, 1, "", true, ""),
            new Message.Batch(7, 1001, 1100, 100, true, payloadLength * 3, payload),
            new Message.Batch(1, 1, 1, 1, false, 0, new byte[0]),
            new Message.Ack(Long.MAX_VALUE, 7),
            new Message.Reject(RejectReason.GAP, 1001, 7, "expected 1001, got 1200 — ünïcødé ✓"),
            new Message.Reject(RejectReason.STALE_EPOCH, -1, Long.MIN_VALUE, ""),
            new Message.Ping(7, "us-east", 123_456_789L),
            new Message.Pong(7, "us-east", 123_456_789L),
            new Message.ImageRequest("[::1]:40200", 8),
            new Message.ImageChunk(5_000, 6, 3, true, chunk),
            new Message.VoteRequest(9, "us-east"),
            new Message.VoteReply(9, false, 10, "eu-west", "ap-south"),
            new Message.ForwardRequest(77, Message.FORWARD_WRITE, "127.0.0.1:40124", "k/order-1", 1,
                    java.util.Arrays.copyOf(payload, Math.min(payload.length, 512))), // small: recursive comparison is slow
            new Message.ForwardRequest(78, Message.FORWARD_READ_INDEX, "", "", 0, new byte[0]),
            new Message.ForwardReply(77, 0, 3, 1_234, "", "", ""),
            new Message.ForwardReply(78, 2, 3, 0, "eu-west", "eu-west-2", "region us-east is not primary"));
    }

    static SenderIdentity identity(String region, String node, long incarnation) {
        return new SenderIdentity(region, node, "127.0.0.1:1" + node.length(), incarnation);
    }
}
