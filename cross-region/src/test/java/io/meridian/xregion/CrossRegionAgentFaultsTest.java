package io.meridian.xregion;

import io.meridian.raft.ClusterState;
import io.meridian.transport.DropCounters;
import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.transport.MessageListener;
import io.meridian.transport.Transport;
import io.meridian.wal.Wal;
import io.meridian.wal.WalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault isolation of the agent, driven duty cycle by duty cycle on the test thread: a shipper whose
 * sends throw, or whose WAL entry is corrupt, is counted, reported and retried or halted while the
 * other remote keeps shipping; the outbox stays bounded.
 */
@Timeout(30)
class CrossRegionAgentFaultsTest {

    private static final String B = "127.0.0.1:1001";
    private static final String C = "127.0.0.1:1002";
    private static final Map<String, List<String>> REMOTES = Map.of("b", List.of(B), "c", List.of(C));

    @Test
    void aShipperWhosePublisherThrowsDoesNotStopTheOtherRemote() {
        FakeTransport transport = new FakeTransport();
        transport.throwingFor.add(C);
        CrossRegionAgent agent = agent(transport, new MemoryWal().withEntries(5, 100), new ShippingConfig());

        runUntilHandshakeTo(agent, transport, B);
        transport.deliver("b", B, new Message.HandshakeReply(0, 0, 1, "a", true, ""));
        for (int i = 0; i < 20 && transport.batchesTo(B).isEmpty(); i++) {
            agent.doWork();
        }

        assertThat(transport.batchesTo(B)).isNotEmpty();
        assertThat(transport.batchesTo(B).get(0).firstIndex()).isEqualTo(1);
        ShipperStatus c = status(agent, "c");
        assertThat(c.errors()).isPositive();
        assertThat(c.lastError()).contains("publisher to " + C + " is broken");
        assertThat(agent.faultCounts()).containsKey(FaultLog.SHIPPER);
        assertThat(status(agent, "b").errors()).isZero();
        // Backoff: a failing shipper is retried after 100 ms, 200 ms, ... not on every duty cycle.
        long errors = c.errors();
        for (int i = 0; i < 50; i++) {
            agent.doWork();
        }
        assertThat(status(agent, "c").errors()).isLessThanOrEqualTo(errors + 2);
    }

    @Test
    void aCorruptWalEntryHaltsOnlyTheRemoteThatReadsItAndNamesTheIndex() {
        FakeTransport transport = new FakeTransport();
        MemoryWal wal = new MemoryWal().withEntries(5, 100);
        wal.corruptAt = 3;
        CrossRegionAgent agent = agent(transport, wal, new ShippingConfig().maxBatchEntries(1));

        runUntilHandshakeTo(agent, transport, B);
        runUntilHandshakeTo(agent, transport, C);
        transport.deliver("b", B, new Message.HandshakeReply(0, 0, 1, "a", true, ""));
        transport.deliver("c", C, new Message.HandshakeReply(4, 1, 1, "a", true, "")); // c already has 1..4
        for (int i = 0; i < 20; i++) {
            agent.doWork();
        }

        ShipperStatus b = status(agent, "b");
        assertThat(b.state()).isEqualTo("HALTED");
        assertThat(b.lastError()).contains("WAL entry 3 is corrupt");
        assertThat(transport.batchesTo(B)).extracting(Message.Batch::lastIndex).containsExactly(1L, 2L);
        assertThat(agent.faultCounts()).containsEntry(FaultLog.WAL_CORRUPT, 1L);
        assertThat(status(agent, "c").state()).isEqualTo("STREAMING");
        assertThat(transport.batchesTo(C)).extracting(Message.Batch::firstIndex).containsExactly(5L);
    }

    @Test
    void theOutboxIsBoundedAndCountsWhatItDrops() {
        FakeTransport transport = new FakeTransport();
        transport.connected = false;
        CrossRegionAgent agent = agent(transport, new MemoryWal(), new ShippingConfig().outboxCapacity(4));

        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            accepted += agent.enqueue(B, new Message.Ack(i, 1)) ? 1 : 0;
        }

        assertThat(accepted).isEqualTo(4);
        assertThat(agent.outboxDepth()).isEqualTo(4);
        assertThat(agent.faultCounts()).containsEntry(FaultLog.OUTBOX_FULL, 6L);
        agent.doWork(); // not connected: the four wait in the retry list, the outbox is free again
        assertThat(agent.enqueue(B, new Message.Ack(11, 1))).isTrue();
        assertThat(agent.outboxDepth()).isLessThanOrEqualTo(8);
    }

    private static void runUntilHandshakeTo(CrossRegionAgent agent, FakeTransport transport, String endpoint) {
        for (int i = 0; i < 20 && transport.sent.stream().noneMatch(s -> s.endpoint().equals(endpoint)
                && s.message() instanceof Message.Handshake); i++) {
            agent.doWork();
        }
    }

    private static ShipperStatus status(CrossRegionAgent agent, String region) {
        return agent.shipperStatus().stream().filter(s -> s.remoteRegion().equals(region)).findFirst().orElseThrow();
    }

    private static CrossRegionAgent agent(FakeTransport transport, Wal wal, ShippingConfig config) {
        return new CrossRegionAgent(new PrimaryLeader(wal), transport, REMOTES, config.conclude(), Function.identity(),
                new CrossRegionListener() { });
    }

    /** The leader of primary region "a", epoch 1, that applied its whole WAL. */
    private record PrimaryLeader(Wal wal) implements LocalRegion {
        @Override
        public String regionName() {
            return "a";
        }

        @Override
        public boolean isLeader() {
            return true;
        }

        @Override
        public ClusterState state() {
            return ClusterState.initial("a").withApplied(wal.lastIndex(), 1);
        }

        @Override
        public String leaderAeronEndpoint() {
            return "";
        }

        @Override
        public long shipLimit(String remoteRegion) {
            return Long.MAX_VALUE;
        }

        @Override
        public CompletableFuture<BatchOutcome> proposeBatch(long senderEpoch, List<WalEntry> entries) {
            return new CompletableFuture<>();
        }

        @Override
        public void onHigherEpoch(long epoch, String primaryRegion) {
        }
    }

    record Sent(String endpoint, Message message) { }

    /** Records sends; throws for chosen endpoints (a broken publisher); delivers queued envelopes. */
    static final class FakeTransport implements Transport {
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final Set<String> throwingFor = ConcurrentHashMap.newKeySet();
        final ArrayDeque<Envelope> inbound = new ArrayDeque<>();
        volatile boolean connected = true;

        @Override
        public String localEndpoint() {
            return "127.0.0.1:1000";
        }

        @Override
        public boolean send(String endpoint, long epoch, Message message) {
            if (throwingFor.contains(endpoint)) {
                throw new IllegalArgumentException("publisher to " + endpoint + " is broken");
            }
            if (!connected) {
                return false;
            }
            sent.add(new Sent(endpoint, message));
            return true;
        }

        @Override
        public int poll(MessageListener listener, int limit) {
            int n = 0;
            Envelope e;
            while (n < limit && (e = inbound.poll()) != null) {
                listener.onMessage(e);
                n++;
            }
            return n;
        }

        void deliver(String region, String endpoint, Message message) {
            inbound.add(new Envelope(region, region + "-1", endpoint, 1, message));
        }

        List<Message.Batch> batchesTo(String endpoint) {
            return sent.stream().filter(s -> s.endpoint().equals(endpoint) && s.message() instanceof Message.Batch)
                    .map(s -> (Message.Batch) s.message()).toList();
        }

        @Override
        public DropCounters dropCounters() {
            return new DropCounters();
        }

        @Override
        public void close() {
        }
    }
}
