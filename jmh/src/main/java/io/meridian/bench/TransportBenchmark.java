package io.meridian.bench;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.meridian.transport.AeronTransport;
import io.meridian.transport.ClusterSecret;
import io.meridian.transport.EmbeddedDriver;
import io.meridian.transport.Message;
import io.meridian.wal.WalEntry;
import io.meridian.xregion.BatchCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shipping one batch of {@value #ENTRIES} entries over UDP loopback: Meridian's path (BatchCodec
 * encode, optional LZ4, frame header, HMAC-SHA256 signing, Aeron offer; on the receiving side MAC
 * check, replay check and frame decode) against a raw Aeron {@code offer} of the same encoded
 * batch bytes on a plain UDP channel with the same term length and MTU. Both use the JVM's
 * {@link EmbeddedDriver}, and both receivers poll on a background thread. Scores are entries/s.
 *
 * <p>The sender retries on back-pressure with {@link Thread#yield()}, so the measured rate is what
 * the receiver sustains, not just what fits into the term buffer.
 */
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransportBenchmark {

    static final int ENTRIES = 100;
    private static final int STREAM_ID = 0x4D42;
    private static final ClusterSecret SECRET = ClusterSecret.of("meridian-benchmark-secret-0123456789");

    static List<WalEntry> batchEntries(int payloadSize) {
        List<WalEntry> entries = new ArrayList<>(ENTRIES);
        for (int i = 1; i <= ENTRIES; i++) {
            entries.add(new WalEntry(i, i, 1, 1, "r0", 1_700_000_000_000L + i, WalEntry.TYPE_DATA,
                    Payloads.kvPut(payloadSize, i)));
        }
        return entries;
    }

    /** Two {@link AeronTransport}s (sender region r0, receiver region r1) with the same secret. */
    @State(Scope.Thread)
    public static class MeridianLink {
        @Param({"64", "1024"})
        public int payload;

        /** LZ4 on every batch (threshold 0) or never. */
        @Param({"false", "true"})
        public boolean compress;

        List<WalEntry> entries;
        BatchCodec codec;
        AeronTransport sender;
        AeronTransport receiver;
        String receiverEndpoint;
        BackgroundPoller poller;
        final AtomicLong received = new AtomicLong();

        @Setup(Level.Trial)
        public void start() {
            entries = batchEntries(payload);
            codec = new BatchCodec(compress ? 0 : Integer.MAX_VALUE, BatchCodec.DEFAULT_MAX_DECODED_LENGTH);
            receiverEndpoint = BenchSupport.loopbackEndpoint();
            receiver = AeronTransport.launch(new AeronTransport.Context().endpoint(receiverEndpoint)
                    .regionId("r1").nodeId("r1-1").secret(SECRET));
            sender = AeronTransport.launch(new AeronTransport.Context().endpoint(BenchSupport.loopbackEndpoint())
                    .regionId("r0").nodeId("r0-1").secret(SECRET));
            poller = new BackgroundPoller("meridian-receiver", () -> receiver.poll(envelope -> {
                if (envelope.message() instanceof Message.Batch batch) {
                    received.addAndGet(batch.entryCount());
                }
            }, 16));
            Message.Batch first = codec.encode(1, entries);
            BenchSupport.awaitTrue(() -> sender.send(receiverEndpoint, 1, first), Duration.ofSeconds(20),
                    "the Meridian publication to connect");
            BenchSupport.awaitTrue(() -> received.get() > 0, Duration.ofSeconds(20), "the first Meridian batch");
        }

        @TearDown(Level.Trial)
        public void stop() {
            CloseHelper.closeAll(poller, sender, receiver);
        }
    }

    /** A raw exclusive publication and subscription on one UDP channel of the shared embedded driver. */
    @State(Scope.Thread)
    public static class RawLink {
        @Param({"64", "1024"})
        public int payload;

        UnsafeBuffer frame;
        int frameLength;
        EmbeddedDriver.Lease lease;
        ExclusivePublication publication;
        Subscription subscription;
        BackgroundPoller poller;
        final AtomicLong received = new AtomicLong();

        @Setup(Level.Trial)
        public void start() {
            byte[] bytes = new BatchCodec(Integer.MAX_VALUE, BatchCodec.DEFAULT_MAX_DECODED_LENGTH)
                    .encode(1, batchEntries(payload)).entries();
            frame = new UnsafeBuffer(bytes);
            frameLength = bytes.length;
            lease = EmbeddedDriver.acquire();
            Aeron aeron = lease.aeron();
            String channel = new ChannelUriStringBuilder().media("udp").endpoint(BenchSupport.loopbackEndpoint())
                    .termLength(AeronTransport.Context.DEFAULT_TERM_LENGTH).mtu(AeronTransport.Context.DEFAULT_MTU)
                    .build();
            subscription = aeron.addSubscription(channel, STREAM_ID);
            publication = aeron.addExclusivePublication(channel, STREAM_ID);
            FragmentAssembler assembler = new FragmentAssembler(
                    (buffer, offset, length, header) -> received.addAndGet(ENTRIES));
            poller = new BackgroundPoller("raw-receiver", () -> subscription.poll(assembler, 16));
            BenchSupport.awaitTrue(publication::isConnected, Duration.ofSeconds(20), "the raw publication to connect");
        }

        @TearDown(Level.Trial)
        public void stop() {
            CloseHelper.closeAll(poller, publication, subscription, lease);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public void meridianShip(MeridianLink s) {
        Message.Batch batch = s.codec.encode(1, s.entries);
        while (!s.sender.send(s.receiverEndpoint, 1, batch)) {
            Thread.yield();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public void rawOffer(RawLink s) {
        while (s.publication.offer(s.frame, 0, s.frameLength) < 0) {
            Thread.yield();
        }
    }
}
