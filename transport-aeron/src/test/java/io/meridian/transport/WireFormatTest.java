package io.meridian.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.transport.DropCounters.Reason;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WireFormatTest {

    private static final SenderIdentity SENDER = TestMessages.identity("eu-west", "node-1", 42);
    private final FrameAuthenticator authenticator = new FrameAuthenticator(TestMessages.SECRET);

    @Test
    void everyMessageTypeRoundTripsWithItsHeader() {
        long seq = 0;
        for (Message message : TestMessages.oneOfEach(64 * 1024, new Random(1))) {
            seq++;
            byte[] frame = encode(SENDER, 9, seq, message);

            DecodeResult<FrameHeader> header = WireFormat.decodeHeader(new UnsafeBuffer(frame), 0, frame.length);
            assertThat(header.isOk()).as("header of %s", message).isTrue();
            assertThat(header.value()).extracting(FrameHeader::version, FrameHeader::type, FrameHeader::senderRegion,
                    FrameHeader::senderNode, FrameHeader::senderEndpoint, FrameHeader::senderEpoch,
                    FrameHeader::senderIncarnation, FrameHeader::frameSeq)
                .containsExactly(WireFormat.VERSION, WireFormat.typeOf(message), "eu-west", "node-1", SENDER.endpoint(), 9L, 42L, seq);
            assertThat(authenticator.verify(new UnsafeBuffer(frame), 0, header.value().signedLength())).isTrue();

            DecodeResult<Message> body = WireFormat.decodeBody(new UnsafeBuffer(frame), 0, header.value());
            assertThat(body.isOk()).as("body of %s", message).isTrue();
            assertThat(body.value()).usingRecursiveComparison().isEqualTo(message);
        }
    }

    @Test
    void decodesAFrameAtANonZeroOffsetOfALargerBuffer() {
        Message message = new Message.Ack(5, 6);
        byte[] frame = encode(SENDER, 1, 1, message);
        byte[] padded = new byte[frame.length + 100];
        System.arraycopy(frame, 0, padded, 37, frame.length);
        UnsafeBuffer buffer = new UnsafeBuffer(padded);

        DecodeResult<FrameHeader> header = WireFormat.decodeHeader(buffer, 37, frame.length);
        assertThat(authenticator.verify(buffer, 37, header.value().signedLength())).isTrue();
        assertThat(WireFormat.decodeBody(buffer, 37, header.value()).value()).isEqualTo(message);
    }

    @Test
    void nullStringsAndArraysAreWrittenAsEmpty() {
        byte[] frame = encode(SENDER, 1, 1, new Message.Batch(1, 2, 3, 0, false, 0, null));
        Message decoded = decode(frame);
        assertThat(((Message.Batch) decoded).entries()).isEmpty();

        frame = encode(SENDER, 1, 2, new Message.HandshakeReply(1, 1, 1, null, true, null));
        assertThat(decode(frame)).isEqualTo(new Message.HandshakeReply(1, 1, 1, "", true, ""));
    }

    @Test
    void magicSpellsMrd1OnTheWireLittleEndian() {
        byte[] frame = encode(SENDER, 1, 1, new Message.Ack(1, 1));
        assertThat(new String(frame, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("MRD1");
        assertThat(new UnsafeBuffer(frame).getShort(4, ByteOrder.LITTLE_ENDIAN)).isEqualTo((short) WireFormat.VERSION);
    }

    @Test
    void everyTruncationIsTruncatedOrMalformedNeverAnException() {
        for (Message message : TestMessages.oneOfEach(300, new Random(2))) {
            byte[] frame = encode(SENDER, 3, 1, message);
            for (int length = 0; length < frame.length; length++) {
                DecodeResult<FrameHeader> header = WireFormat.decodeHeader(new UnsafeBuffer(frame), 0, length);
                assertThat(header.reason()).as("%s cut to %d bytes", message, length)
                    .isIn(Reason.TRUNCATED, Reason.MALFORMED);
            }
        }
    }

    @Test
    void badMagicAndUnknownVersionAreDroppedBeforeTheMac() {
        byte[] frame = encode(SENDER, 1, 1, new Message.Ack(1, 1));
        byte[] badMagic = frame.clone();
        badMagic[0] = 'X';
        assertThat(WireFormat.decodeHeader(new UnsafeBuffer(badMagic), 0, badMagic.length).reason())
            .isEqualTo(Reason.BAD_MAGIC);

        for (int unknown : new int[] {0, WireFormat.VERSION + 1}) {
            byte[] other = frame.clone();
            UnsafeBuffer buffer = new UnsafeBuffer(other);
            buffer.putShort(4, (short) unknown, ByteOrder.LITTLE_ENDIAN);
            authenticator.sign(buffer, 0, other.length - FrameAuthenticator.MAC_LENGTH);
            assertThat(WireFormat.decodeHeader(buffer, 0, other.length).reason()).as("version %d", unknown)
                .isEqualTo(Reason.BAD_VERSION);
        }
    }

    @Test
    void batchCarriesItsStageStampsAndAVersion1BatchReadsAsUnstamped() {
        Message.Batch stamped = new Message.Batch(3, 10, 12, 3, false, 5, new byte[] {1, 2, 3, 4, 5})
            .stamped(1_700_000_000_000_001L, 1_700_000_000_000_900L);
        byte[] frame = encode(SENDER, 3, 1, stamped);
        FrameHeader header = WireFormat.decodeHeader(new UnsafeBuffer(frame), 0, frame.length).value();
        Message.Batch decoded = (Message.Batch) WireFormat.decodeBody(new UnsafeBuffer(frame), 0, header).value();
        assertThat(decoded.readMicros()).isEqualTo(1_700_000_000_000_001L);
        assertThat(decoded.sentMicros()).isEqualTo(1_700_000_000_000_900L);

        // The same batch as a version-1 sender wrote it: without the two trailing stamps.
        int v1Signed = header.signedLength() - 16;
        UnsafeBuffer v1 = new UnsafeBuffer(new byte[v1Signed + FrameAuthenticator.MAC_LENGTH]);
        v1.putBytes(0, frame, 0, v1Signed);
        v1.putShort(4, (short) 1, ByteOrder.LITTLE_ENDIAN);
        v1.putInt(header.headerLength() - 4, header.bodyLength() - 16, ByteOrder.LITTLE_ENDIAN);
        authenticator.sign(v1, 0, v1Signed);
        FrameHeader v1Header = WireFormat.decodeHeader(v1, 0, v1.capacity()).value();
        assertThat(v1Header.version()).isEqualTo(1);
        Message.Batch old = (Message.Batch) WireFormat.decodeBody(v1, 0, v1Header).value();
        assertThat(old.lastIndex()).isEqualTo(12);
        assertThat(old.entries()).containsExactly(1, 2, 3, 4, 5);
        assertThat(old.readMicros()).isZero();
        assertThat(old.sentMicros()).isZero();
    }

    @Test
    void authenticUnknownTypeIsUnknownType() {
        byte[] frame = encode(SENDER, 1, 1, new Message.Ack(1, 1));
        UnsafeBuffer buffer = new UnsafeBuffer(frame);
        buffer.putShort(6, (short) 42, ByteOrder.LITTLE_ENDIAN);
        authenticator.sign(buffer, 0, frame.length - FrameAuthenticator.MAC_LENGTH);

        FrameHeader header = WireFormat.decodeHeader(buffer, 0, frame.length).value();
        assertThat(authenticator.verify(buffer, 0, header.signedLength())).isTrue();
        assertThat(WireFormat.decodeBody(buffer, 0, header).reason()).isEqualTo(Reason.UNKNOWN_TYPE);
    }

    @Test
    void authenticButInconsistentBodiesAreMalformed() {
        // A bool that is neither 0 nor 1: before uncompressedLength, the entries' length and the two stamps.
        byte[] batch = encode(SENDER, 1, 1, new Message.Batch(1, 1, 1, 1, false, 0, new byte[0]));
        UnsafeBuffer buffer = new UnsafeBuffer(batch);
        int boolAt = batch.length - FrameAuthenticator.MAC_LENGTH - 16 - 4 - 4 - 1;
        buffer.putByte(boolAt, (byte) 2);
        assertThat(decodeReason(resign(buffer, batch.length))).isEqualTo(Reason.MALFORMED);

        // A body longer than its fields: bodyLength grows, an extra byte sits before the MAC.
        byte[] ack = encode(SENDER, 1, 2, new Message.Ack(1, 1));
        byte[] longer = new byte[ack.length + 1];
        System.arraycopy(ack, 0, longer, 0, ack.length - FrameAuthenticator.MAC_LENGTH);
        UnsafeBuffer longerBuffer = new UnsafeBuffer(longer);
        int bodyLengthAt = ack.length - FrameAuthenticator.MAC_LENGTH - 16 - 4;
        longerBuffer.putInt(bodyLengthAt, 17, ByteOrder.LITTLE_ENDIAN);
        assertThat(decodeReason(resign(longerBuffer, longer.length))).isEqualTo(Reason.MALFORMED);

        // A byte-array length that runs past the body.
        byte[] chunk = encode(SENDER, 1, 3, new Message.ImageChunk(1, 1, 0, false, new byte[8]));
        UnsafeBuffer chunkBuffer = new UnsafeBuffer(chunk);
        chunkBuffer.putInt(chunk.length - FrameAuthenticator.MAC_LENGTH - 8 - 4, 9, ByteOrder.LITTLE_ENDIAN);
        assertThat(decodeReason(resign(chunkBuffer, chunk.length))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void trailingBytesAfterTheMacAreMalformed() {
        byte[] frame = encode(SENDER, 1, 1, new Message.Ack(1, 1));
        byte[] longer = new byte[frame.length + 3];
        System.arraycopy(frame, 0, longer, 0, frame.length);
        assertThat(WireFormat.decodeHeader(new UnsafeBuffer(longer), 0, longer.length).reason())
            .isEqualTo(Reason.MALFORMED);
    }

    @Test
    void oversizedStringsAreRefusedByTheEncoder() {
        String huge = "x".repeat(WireFormat.MAX_STRING_LENGTH + 1);
        assertThatThrownBy(() -> encode(SENDER, 1, 1, new Message.Ping(1, huge, 1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SenderIdentity("", "n", "h:1", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTypeCodeIsDistinctAndStable() {
        List<Integer> codes = new ArrayList<>();
        for (Message m : TestMessages.oneOfEach(1, new Random(3))) {
            codes.add(WireFormat.typeOf(m));
        }
        assertThat(codes).containsExactly(1, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12, 12, 13, 13);
    }

    private byte[] encode(SenderIdentity sender, long epoch, long seq, Message message) {
        MutableDirectBuffer buffer = new ExpandableArrayBuffer(128);
        int signed = WireFormat.encode(buffer, 0, sender, sender.encodedNames(), epoch, seq, message);
        int length = authenticator.sign(buffer, 0, signed);
        byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    private UnsafeBuffer resign(UnsafeBuffer buffer, int length) {
        authenticator.sign(buffer, 0, length - FrameAuthenticator.MAC_LENGTH);
        return buffer;
    }

    private Reason decodeReason(UnsafeBuffer buffer) {
        DecodeResult<FrameHeader> header = WireFormat.decodeHeader(buffer, 0, buffer.capacity());
        assertThat(header.isOk()).isTrue();
        assertThat(authenticator.verify(buffer, 0, header.value().signedLength())).isTrue();
        return WireFormat.decodeBody(buffer, 0, header.value()).reason();
    }

    private Message decode(byte[] frame) {
        UnsafeBuffer buffer = new UnsafeBuffer(frame);
        return WireFormat.decodeBody(buffer, 0, WireFormat.decodeHeader(buffer, 0, frame.length).value()).value();
    }
}
