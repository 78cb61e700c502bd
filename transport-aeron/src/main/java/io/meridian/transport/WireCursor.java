package io.meridian.transport;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * A bounds-checked little-endian reader over one region of a buffer.
 *
 * <p>Never throws: a read past {@code limit} returns a zero value and latches {@link #overrun()},
 * so a decoder can read a whole structure and check once at the end. That keeps hostile input
 * from turning into exceptions (and stack-trace allocation) on the receive path.
 */
final class WireCursor {

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final byte[] EMPTY = new byte[0];

    private final DirectBuffer buffer;
    private final int limit;
    private int position;
    private boolean overrun;

    WireCursor(DirectBuffer buffer, int position, int limit) {
        this.buffer = buffer;
        this.position = position;
        this.limit = limit;
    }

    int position() {
        return position;
    }

    boolean overrun() {
        return overrun;
    }

    /** Whether every byte up to the limit was consumed and nothing was read past it. */
    boolean exhausted() {
        return !overrun && position == limit;
    }

    private boolean take(int length) {
        if (overrun || length < 0 || limit - position < length) {
            overrun = true;
            return false;
        }
        return true;
    }

    int u8() {
        if (!take(1)) {
            return 0;
        }
        return buffer.getByte(position++) & 0xFF;
    }

    int u16() {
        if (!take(2)) {
            return 0;
        }
        int value = buffer.getShort(position, ORDER) & 0xFFFF;
        position += 2;
        return value;
    }

    int i32() {
        if (!take(4)) {
            return 0;
        }
        int value = buffer.getInt(position, ORDER);
        position += 4;
        return value;
    }

    long i64() {
        if (!take(8)) {
            return 0;
        }
        long value = buffer.getLong(position, ORDER);
        position += 8;
        return value;
    }

    /** A u16-length-prefixed UTF-8 string; "" on overrun. */
    String string() {
        int length = u16();
        if (!take(length)) {
            return "";
        }
        String value = buffer.getStringWithoutLengthUtf8(position, length);
        position += length;
        return value;
    }

    /**
     * An i32-length-prefixed byte array; empty on overrun. The length is checked against the limit
     * before allocating, so a forged length cannot make us allocate more than the frame holds.
     */
    byte[] bytes() {
        int length = i32();
        if (!take(length)) {
            return EMPTY;
        }
        byte[] value = new byte[length];
        buffer.getBytes(position, value);
        position += length;
        return value;
    }
}
