package io.meridian.xregion;

import io.meridian.transport.Message;
import io.meridian.wal.WalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.meridian.xregion.Entries.entry;
import static io.meridian.xregion.Entries.randomRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class BatchCodecTest {

    private final BatchCodec codec = new BatchCodec(new ShippingConfig());

    @Test
    void roundTripsSmallBatchUncompressed() throws Exception {
        final List<WalEntry> entries = List.of(entry(5, 10), entry(6, 0), entry(7, 20));
        final Message.Batch batch = codec.encode(9, entries);

        assertThat(batch.compressed()).isFalse();
        assertThat(batch.epoch()).isEqualTo(9);
        assertThat(batch.firstIndex()).isEqualTo(5);
        assertThat(batch.lastIndex()).isEqualTo(7);
        assertThat(batch.entryCount()).isEqualTo(3);
        assertThat(batch.uncompressedLength()).isEqualTo(batch.entries().length)
                .isEqualTo(entries.stream().mapToInt(BatchCodec::encodedSize).sum());
        assertSameContent(codec.decode(batch), entries);
    }

    @Test
    void decodedEntriesHaveNoRaftPosition() throws Exception {
        final List<WalEntry> decoded = codec.decode(codec.encode(1, List.of(entry(1, 3))));
        assertThat(decoded.get(0).raftIndex()).isZero();
        assertThat(decoded.get(0).raftTerm()).isZero();
    }

    @Test
    void compressesAboveTheThresholdOnly() throws Exception {
        final WalEntry compressible = new WalEntry(1, 0, 0, 7, "us", 0, WalEntry.TYPE_DATA, new byte[500]);
        final int size = BatchCodec.encodedSize(compressible);

        final Message.Batch atThreshold = new BatchCodec(size, 1 << 20).encode(1, List.of(compressible));
        assertThat(atThreshold.compressed()).isFalse();

        final Message.Batch above = new BatchCodec(size - 1, 1 << 20).encode(1, List.of(compressible));
        assertThat(above.compressed()).isTrue();
        assertThat(above.entries().length).isLessThan(size);
        assertThat(above.uncompressedLength()).isEqualTo(size);
        assertSameContent(codec.decode(above), List.of(compressible));
    }

    @Test
    void incompressiblePayloadIsShippedAsIs() throws Exception {
        final byte[] noise = new byte[5_000];
        new Random(1).nextBytes(noise);
        final List<WalEntry> entries = List.of(new WalEntry(1, 0, 0, 7, "us", 0, WalEntry.TYPE_DATA, noise));
        final Message.Batch batch = codec.encode(1, entries);

        assertThat(batch.uncompressedLength()).isGreaterThan(1024);
        assertThat(batch.compressed()).isFalse();
        assertSameContent(codec.decode(batch), entries);
    }

    @Test
    void roundTripsLargePayloads() throws Exception {
        final byte[] text = "replicated text ".repeat(300_000).getBytes(StandardCharsets.US_ASCII);
        final byte[] noise = new byte[3 * 1024 * 1024];
        new Random(2).nextBytes(noise);
        final List<WalEntry> entries = List.of(
                new WalEntry(100, 0, 0, 7, "us", 1, WalEntry.TYPE_DATA, text),
                new WalEntry(101, 0, 0, 7, "us", 2, WalEntry.TYPE_CONTROL, noise));

        final Message.Batch batch = codec.encode(3, entries);
        assertThat(batch.compressed()).isTrue();
        assertSameContent(codec.decode(batch), entries);
    }

    @Test
    void roundTripsManyRandomBatches() throws Exception {
        final Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            final List<WalEntry> entries = randomRun(1 + random.nextInt(1_000_000), 1 + random.nextInt(50), 300, random);
            assertSameContent(codec.decode(codec.encode(i, entries)), entries);
        }
    }

    @Test
    void encodedSizeCountsUtf8Bytes() {
        for (String origin : List.of("us", "eu-wëst", "ap-€", "x\uD83D\uDE00y", "lone\uD800")) {
            final WalEntry entry = new WalEntry(1, 0, 0, 1, origin, 0, WalEntry.TYPE_DATA, new byte[7]);
            assertThat(BatchCodec.encodedSize(entry)).as(origin)
                    .isEqualTo(new BatchCodec(Integer.MAX_VALUE, 1 << 20).encode(1, List.of(entry)).entries().length);
        }
    }

    @Test
    void encodeRejectsEmptyOrNonConsecutiveRuns() {
        assertThatThrownBy(() -> codec.encode(1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encode(1, List.of(entry(1, 1), entry(3, 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsInconsistentHeaders() {
        final Message.Batch good = codec.encode(1, List.of(entry(10, 4), entry(11, 4)));
        final byte[] raw = good.entries();
        assertMalformed(new Message.Batch(1, 10, 11, 3, false, raw.length, raw), "entryCount");
        assertMalformed(new Message.Batch(1, 10, 9, 0, false, raw.length, raw), "lastIndex");
        assertMalformed(new Message.Batch(1, 0, 1, 2, false, raw.length, raw), "firstIndex");
        assertMalformed(new Message.Batch(1, 10, 11, 2, false, raw.length + 1, raw), "uncompressedLength");
        assertMalformed(new Message.Batch(1, 10, 11, 2, false, -1, raw), "uncompressedLength");
        assertMalformed(new Message.Batch(1, 10, 11, 2, false, raw.length, null), "no entries");
        assertMalformed(new Message.Batch(1, 11, 12, 2, false, raw.length, raw), "index 10, expected 11");
        assertMalformed(new Message.Batch(1, Long.MAX_VALUE, 1, 2, false, raw.length, raw), "lastIndex");
        assertMalformed(new Message.Batch(1, 1, Long.MAX_VALUE, Integer.MAX_VALUE, false, raw.length, raw),
                "entryCount");
    }

    @Test
    void rejectsBadEntryContent() {
        final byte[] raw = codec.encode(1, List.of(entry(10, 4))).entries();

        final byte[] trailing = Arrays.copyOf(raw, raw.length + 3);
        assertMalformed(new Message.Batch(1, 10, 10, 1, false, trailing.length, trailing), "trailing");

        final byte[] badType = raw.clone();
        badType[24] = 9;
        assertMalformed(new Message.Batch(1, 10, 10, 1, false, raw.length, badType), "type");

        final byte[] badOrigin = raw.clone();
        badOrigin[27] = (byte) 0xC3; // a UTF-8 lead byte followed by ASCII
        assertMalformed(new Message.Batch(1, 10, 10, 1, false, raw.length, badOrigin), "UTF-8");

        final byte[] negativePayload = raw.clone();
        ByteBuffer.wrap(negativePayload).order(ByteOrder.LITTLE_ENDIAN).putInt(27 + "us-east".length(), -4);
        assertMalformed(new Message.Batch(1, 10, 10, 1, false, raw.length, negativePayload), "negative");

        final byte[] longPayload = raw.clone();
        ByteBuffer.wrap(longPayload).order(ByteOrder.LITTLE_ENDIAN).putInt(27 + "us-east".length(), 5);
        assertMalformed(new Message.Batch(1, 10, 10, 1, false, raw.length, longPayload), "truncated");
    }

    @Test
    void rejectsBadCompression() {
        final byte[] zeros = new byte[100];
        assertMalformed(new Message.Batch(1, 1, 1, 1, true, 100_000, zeros), "cannot expand");
        assertMalformed(new Message.Batch(1, 1, 1, 1, true, Integer.MAX_VALUE, zeros), "uncompressedLength");

        final WalEntry big = new WalEntry(1, 0, 0, 7, "us", 0, WalEntry.TYPE_DATA, new byte[5_000]);
        final Message.Batch good = codec.encode(1, List.of(big));
        assertThat(good.compressed()).isTrue();
        assertMalformed(new Message.Batch(1, 1, 1, 1, true, good.uncompressedLength() - 1, good.entries()), "LZ4");
        assertMalformed(new Message.Batch(1, 1, 1, 1, true, good.uncompressedLength() + 1, good.entries()), "LZ4");
        final byte[] cut = Arrays.copyOf(good.entries(), good.entries().length / 2);
        assertMalformed(new Message.Batch(1, 1, 1, 1, true, good.uncompressedLength(), cut), "LZ4");
    }

    @Test
    void fuzzedBatchesFailOnlyWithMalformedBatchException() {
        final Random random = new Random(42);
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            final boolean compressible = random.nextBoolean();
            final List<WalEntry> entries = compressible
                    ? List.of(entry(5, random.nextInt(3_000)), entry(6, random.nextInt(3_000)))
                    : randomRun(1 + random.nextInt(100), 1 + random.nextInt(8), 200, random);
            final Message.Batch mutated = BatchFuzzer.mutate(codec.encode(1, entries), random);
            try {
                final List<WalEntry> decoded = codec.decode(mutated);
                assertThat(decoded).hasSize(mutated.entryCount());
                for (int e = 0; e < decoded.size(); e++) {
                    assertThat(decoded.get(e).index()).isEqualTo(mutated.firstIndex() + e);
                }
            } catch (MalformedBatchException expected) {
                rejected++;
            } catch (Throwable unexpected) {
                throw new AssertionError("mutation " + i + " threw " + unexpected, unexpected);
            }
        }
        assertThat(rejected).as("the fuzzer does corrupt batches").isGreaterThan(10_000);
    }

    private void assertMalformed(Message.Batch batch, String messagePart) {
        assertThatThrownBy(() -> codec.decode(batch))
                .isInstanceOf(MalformedBatchException.class)
                .hasMessageContaining(messagePart);
    }

    private static void assertSameContent(List<WalEntry> decoded, List<WalEntry> expected) {
        assertThat(decoded).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(decoded.get(i).sameContentAs(expected.get(i)))
                    .as("entry %d: %s vs %s", i, decoded.get(i), expected.get(i)).isTrue();
        }
    }
}
