package io.meridian.sim.check;

import io.meridian.kv.KvCommand;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One write the workload attempted, as the client saw it.
 *
 * <p>The workload writes {@code KvCommand.put(key, value)} with value {@code "w<id>:" + padding}, so
 * any WAL payload names the write it came from ({@link #writeIdOf}).
 *
 * @param id          unique write id within the run
 * @param key         the KV key written
 * @param region      region the write was sent to
 * @param startMillis ms since run start when the write was submitted
 * @param endMillis   ms since run start when its outcome was known
 * @param status      ACKED, FAILED (definitely not applied) or UNKNOWN (may or may not be applied)
 * @param epoch       epoch of the acknowledged position, -1 unless ACKED
 * @param index       cluster-log index of the acknowledged position, -1 unless ACKED
 * @param error       exception simple class name and message when FAILED or UNKNOWN, else null
 */
public record WriteRecord(int id, String key, String region, long startMillis, long endMillis, Status status,
                          long epoch, long index, String error) {

    /** Outcome of a write as the client saw it. */
    public enum Status { ACKED, FAILED, UNKNOWN }

    public static WriteRecord acked(int id, String key, String region, long startMillis, long endMillis,
                                    long epoch, long index) {
        return new WriteRecord(id, key, region, startMillis, endMillis, Status.ACKED, epoch, index, null);
    }

    /** A write that ended with {@code error}; {@code status} says whether it may still have been applied. */
    public static WriteRecord notAcked(int id, String key, String region, long startMillis, long endMillis,
                                       Status status, Throwable error) {
        if (status == Status.ACKED) {
            throw new IllegalArgumentException("use acked(...) for ACKED writes");
        }
        String text = error == null ? null : error.getClass().getSimpleName() + ": " + error.getMessage();
        return new WriteRecord(id, key, region, startMillis, endMillis, status, -1, -1, text);
    }

    public boolean isAcked() {
        return status == Status.ACKED;
    }

    /** "epoch:index", as io.meridian.Position prints it. */
    public String position() {
        return epoch + ":" + index;
    }

    /** The value the workload writes for write {@code id}: {@code "w<id>:"} padded with 'x' to {@code size} bytes. */
    public static byte[] valueFor(int id, int size) {
        byte[] prefix = ("w" + id + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] value = Arrays.copyOf(prefix, Math.max(size, prefix.length));
        Arrays.fill(value, prefix.length, value.length, (byte) 'x');
        return value;
    }

    /**
     * Like {@link #valueFor(int, int)}, but the padding comes from an RNG seeded with the run's seed
     * and the write id: reproducible, and incompressible for LZ4, so the shipped frames are as large
     * as the values (text padding compresses ~250x and hides frame-size limits).
     */
    public static byte[] incompressibleValueFor(int id, int size, long seed) {
        byte[] value = valueFor(id, size);
        int prefix = ("w" + id + ":").length();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
        for (int i = prefix; i < value.length; i++) {
            value[i] = (byte) random.nextInt(256);
        }
        return value;
    }

    /** The write id carried by a KV command payload, or -1 when it is not a workload PUT. */
    public static int writeIdOf(byte[] kvCommandPayload) {
        if (kvCommandPayload == null) {
            return -1;
        }
        byte[] value;
        try {
            KvCommand command = KvCommand.decode(kvCommandPayload);
            if (command.op() != KvCommand.PUT) {
                return -1;
            }
            value = command.value();
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (value.length < 3 || value[0] != 'w') {
            return -1;
        }
        long id = 0;
        for (int i = 1; i < value.length; i++) {
            byte b = value[i];
            if (b == ':') {
                return i > 1 ? (int) id : -1;
            }
            if (b < '0' || b > '9' || i > 10) {
                return -1;
            }
            id = id * 10 + (b - '0');
            if (id > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return -1;
    }
}
