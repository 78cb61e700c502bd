package io.meridian.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random mutations of valid frames and random garbage: nothing may throw, nothing tampered may be
 * delivered, and every frame must be counted as exactly one drop.
 */
@Timeout(120)
class FrameFuzzTest {

    private static final int MUTATIONS = 20_000;
    private static final int GARBAGE = 2_000;

    @Test
    void mutatedFramesAndGarbageAreAllDroppedAndCounted() {
        Random random = new Random(0x4D52_4431L);
        SenderIdentity sender = new SenderIdentity("eu-west", "node-7", "127.0.0.1:40001", 77);
        Frames frames = new Frames(sender, TestMessages.SECRET);
        List<byte[]> originals = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (Message message : TestMessages.oneOfEach(random.nextInt(512), random)) {
                originals.add(frames.next(round, message));
            }
        }
        FrameAdapter adapter = new FrameAdapter(new FrameAuthenticator(TestMessages.SECRET), new DropCounters());
        List<Envelope> delivered = new ArrayList<>();

        long fed = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] original = originals.get(random.nextInt(originals.size()));
            byte[] mutated = mutate(original, random);
            if (Arrays.equals(mutated, original)) {
                continue;
            }
            feedAtRandomOffset(adapter, mutated, random, delivered);
            fed++;
        }
        for (int i = 0; i < GARBAGE; i++) {
            byte[] garbage = new byte[random.nextInt(300)];
            random.nextBytes(garbage);
            if (random.nextBoolean() && garbage.length >= 4) {
                // Give some garbage a valid magic and version so it gets past the first checks.
                System.arraycopy(originals.get(0), 0, garbage, 0, Math.min(6, garbage.length));
            }
            feedAtRandomOffset(adapter, garbage, random, delivered);
            fed++;
        }

        assertThat(delivered).isEmpty();
        assertThat(fed).isGreaterThan(MUTATIONS * 9L / 10);
        assertThat(adapter.dropCounters().total()).isEqualTo(fed);
        assertThat(adapter.dropCounters().get(DropCounters.Reason.BAD_MAC)).isPositive();
        assertThat(adapter.dropCounters().get(DropCounters.Reason.TRUNCATED)).isPositive();

        // The adapter still accepts authentic frames: the drops above were not indiscriminate.
        byte[] fresh = frames.next(9, new Message.Ack(1, 9));
        assertThat(adapter.onFrame(new UnsafeBuffer(fresh), 0, fresh.length, delivered::add)).isTrue();
        assertThat(delivered).hasSize(1);
    }

    private static void feedAtRandomOffset(FrameAdapter adapter, byte[] frame, Random random, List<Envelope> sink) {
        int offset = random.nextInt(16);
        byte[] padded = new byte[offset + frame.length + random.nextInt(16)];
        random.nextBytes(padded);
        System.arraycopy(frame, 0, padded, offset, frame.length);
        assertThat(adapter.onFrame(new UnsafeBuffer(padded), offset, frame.length, sink::add)).isFalse();
    }

    private static byte[] mutate(byte[] frame, Random random) {
        byte[] out = frame.clone();
        switch (random.nextInt(5)) {
            case 0 -> { // flip 1..4 bits
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> { // overwrite a run with random bytes
                int at = random.nextInt(out.length);
                int length = 1 + random.nextInt(Math.min(16, out.length - at));
                for (int k = 0; k < length; k++) {
                    out[at + k] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 2 -> out = Arrays.copyOf(out, random.nextInt(out.length)); // truncate
            case 3 -> { // extend with junk
                out = Arrays.copyOf(out, out.length + 1 + random.nextInt(64));
                for (int k = frame.length; k < out.length; k++) {
                    out[k] = (byte) random.nextInt(256);
                }
            }
            default -> { // corrupt a header length field region (strings, bodyLength)
                int at = 10 + random.nextInt(Math.min(60, out.length - 10));
                out[at] = (byte) random.nextInt(256);
            }
        }
        return out;
    }
}
