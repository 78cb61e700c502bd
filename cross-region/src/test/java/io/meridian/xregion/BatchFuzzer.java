package io.meridian.xregion;

import io.meridian.transport.Message;

import java.util.Arrays;
import java.util.Random;

/** Corrupts encoded batches the ways a network or a bug would: flipped bits, cuts, lies in the header. */
final class BatchFuzzer {

    private BatchFuzzer() {
    }

    static Message.Batch mutate(Message.Batch batch, Random random) {
        byte[] bytes = batch.entries().clone();
        long firstIndex = batch.firstIndex();
        long lastIndex = batch.lastIndex();
        int count = batch.entryCount();
        boolean compressed = batch.compressed();
        int uncompressedLength = batch.uncompressedLength();
        final int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            switch (random.nextInt(9)) {
                case 0 -> flipBit(bytes, random);
                case 1 -> {
                    bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                    if (!compressed) {
                        uncompressedLength = bytes.length; // keep the length consistent to reach the parser
                    }
                }
                case 2 -> {
                    bytes = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
                    if (!compressed) {
                        uncompressedLength = bytes.length;
                    }
                }
                case 3 -> overwriteInt(bytes, random);
                case 4 -> count += random.nextInt(5) - 2;
                case 5 -> {
                    final long shift = random.nextInt(5) - 2;
                    firstIndex += shift;
                    lastIndex += shift;
                }
                case 6 -> compressed = !compressed;
                case 7 -> uncompressedLength = random.nextBoolean() ? random.nextInt() : uncompressedLength + random.nextInt(9) - 4;
                default -> lastIndex += random.nextInt(3) - 1;
            }
        }
        return new Message.Batch(batch.epoch(), firstIndex, lastIndex, count, compressed, uncompressedLength, bytes);
    }

    private static void flipBit(byte[] bytes, Random random) {
        if (bytes.length > 0) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
    }

    // Lengths and indexes are 32/64-bit fields: a whole overwritten word reaches the bounds checks.
    private static void overwriteInt(byte[] bytes, Random random) {
        if (bytes.length >= 4) {
            final int at = random.nextInt(bytes.length - 3);
            final int value = random.nextBoolean() ? random.nextInt() : random.nextInt(64) - 8;
            bytes[at] = (byte) value;
            bytes[at + 1] = (byte) (value >> 8);
            bytes[at + 2] = (byte) (value >> 16);
            bytes[at + 3] = (byte) (value >> 24);
        }
    }
}
