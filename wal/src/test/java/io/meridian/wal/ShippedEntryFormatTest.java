package io.meridian.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ShippedEntryFormatTest {

    private final WalEntry entry = new WalEntry(42, 17, 5, 9, "ap-süd-1", 1_700_000_000_123L,
            WalEntry.TYPE_CONTROL, "hello".getBytes(StandardCharsets.UTF_8));

    private static byte[] encode(WalEntry e) {
        ByteBuffer b = ByteBuffer.allocate(ShippedEntryFormat.size(e));
        ShippedEntryFormat.put(b, e);
        assertThat(b.hasRemaining()).as("size() is exact").isFalse();
        return b.array();
    }

    @Test
    void roundTripKeepsTheRegionIndependentFieldsAndDropsRaftPlacement() throws Exception {
        WalEntry decoded = ShippedEntryFormat.get(ByteBuffer.wrap(encode(entry)));

        assertThat(decoded.sameContentAs(entry)).isTrue();
        assertThat(decoded.raftIndex()).isZero();
        assertThat(decoded.raftTerm()).isZero();
    }

    @Test
    void layoutIsLittleEndianWhateverTheBufferOrderAndTheOrderIsRestored() throws Exception {
        ByteBuffer big = ByteBuffer.allocate(8 + ShippedEntryFormat.size(entry)).order(ByteOrder.BIG_ENDIAN);
        big.putLong(7);
        ShippedEntryFormat.put(big, entry);
        assertThat(big.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(ByteBuffer.wrap(big.array(), 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(42);
        assertThat(Arrays.copyOfRange(big.array(), 8, big.capacity())).isEqualTo(encode(entry));

        big.flip();
        assertThat(big.getLong()).isEqualTo(7);
        assertThat(ShippedEntryFormat.get(big).sameContentAs(entry)).isTrue();
        assertThat(big.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(big.hasRemaining()).isFalse();
    }

    @Test
    void sizeCountsUtf8BytesOfTheOrigin() {
        for (String origin : new String[] {"", "eu", "région", "東京", "emoji-\uD83D\uDE00", "lone-\uD800"}) {
            WalEntry e = new WalEntry(1, 0, 0, 1, origin, 0, WalEntry.TYPE_DATA, new byte[3]);
            assertThat(ShippedEntryFormat.size(e)).as(origin)
                    .isEqualTo(ShippedEntryFormat.HEADER_LENGTH + origin.getBytes(StandardCharsets.UTF_8).length + 3);
        }
    }

    @Test
    void aRunReusesTheOriginAndEmptyFieldsRoundTrip() throws Exception {
        WalEntry a = new WalEntry(1, 0, 0, 1, "", 0, WalEntry.TYPE_DATA, new byte[0]);
        WalEntry b = new WalEntry(2, 0, 0, 1, "", 0, WalEntry.TYPE_DATA, new byte[] {1});
        ByteBuffer buffer = ByteBuffer.allocate(ShippedEntryFormat.size(a) + ShippedEntryFormat.size(b));
        ShippedEntryFormat.put(buffer, a);
        ShippedEntryFormat.put(buffer, b);
        buffer.flip();
        ShippedEntryFormat.Reader reader = new ShippedEntryFormat.Reader();
        assertThat(reader.get(buffer).sameContentAs(a)).isTrue();
        assertThat(reader.get(buffer).sameContentAs(b)).isTrue();
    }

    @Test
    void sessionDataRoundTripsAndAMalformedSessionPayloadIsMalformed() throws Exception {
        WalEntry session = new WalEntry(5, 0, 0, 1, "eu", 0, WalEntry.TYPE_SESSION_DATA,
                new SessionTag("client-1", 7).wrap(new byte[] {4, 2}));
        WalEntry decoded = ShippedEntryFormat.get(ByteBuffer.wrap(encode(session)));
        assertThat(decoded.sameContentAs(session)).isTrue();
        assertThat(SessionTag.of(decoded)).isEqualTo(new SessionTag("client-1", 7));

        byte[] untagged = encode(new WalEntry(5, 0, 0, 1, "eu", 0, WalEntry.TYPE_DATA, new byte[] {4, 2}));
        untagged[24] = WalEntry.TYPE_SESSION_DATA; // session data without a session tag
        assertMalformed(untagged, "entry 5");
    }

    @Test
    void anOversizedOriginIsRefusedOnWrite() {
        WalEntry e = new WalEntry(1, 0, 0, 1, "x".repeat(0x10000), 0, WalEntry.TYPE_DATA, new byte[0]);
        assertThatThrownBy(() -> ShippedEntryFormat.put(ByteBuffer.allocate(ShippedEntryFormat.size(e)), e))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedInputIsReportedAsMalformedEntryException() {
        byte[] good = encode(entry);
        int originAt = 27;
        int payloadLengthAt = originAt + "ap-süd-1".getBytes(StandardCharsets.UTF_8).length;

        assertMalformed(Arrays.copyOf(good, 10), "truncated in header");
        assertMalformed(Arrays.copyOf(good, originAt + 2), "truncated in origin");
        assertMalformed(Arrays.copyOf(good, good.length - 1), "truncated in payload");

        byte[] zeroIndex = good.clone();
        ByteBuffer.wrap(zeroIndex).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 0);
        assertMalformed(zeroIndex, "index");

        byte[] badType = good.clone();
        badType[24] = 9;
        assertMalformed(badType, "type");

        byte[] badOrigin = good.clone();
        badOrigin[originAt] = (byte) 0xC3; // a UTF-8 lead byte followed by ASCII
        assertMalformed(badOrigin, "UTF-8");

        byte[] negativePayload = good.clone();
        ByteBuffer.wrap(negativePayload).order(ByteOrder.LITTLE_ENDIAN).putInt(payloadLengthAt, -4);
        assertMalformed(negativePayload, "negative");

        byte[] hugeOrigin = good.clone();
        ByteBuffer.wrap(hugeOrigin).order(ByteOrder.LITTLE_ENDIAN).putShort(25, (short) 0xFFFF);
        assertMalformed(hugeOrigin, "truncated in origin");
    }

    @Test
    void randomBytesNeverThrowAnythingElse() {
        SplittableRandom random = new SplittableRandom(14);
        byte[] good = encode(entry);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = i % 2 == 0 ? good.clone() : new byte[random.nextInt(64)];
            if (i % 2 == 0) {
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            } else {
                random.nextBytes(bytes);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            try {
                WalEntry decoded = ShippedEntryFormat.get(buffer);
                // Whatever was accepted is exactly the encoding of what came out.
                assertThat(Arrays.copyOf(bytes, buffer.position())).isEqualTo(encode(decoded));
            } catch (MalformedEntryException expected) {
                // the documented failure
            }
        }
    }

    private static void assertMalformed(byte[] bytes, String message) {
        assertThatThrownBy(() -> ShippedEntryFormat.get(ByteBuffer.wrap(bytes)))
                .isInstanceOf(MalformedEntryException.class).hasMessageContaining(message);
    }
}
