package io.meridian.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The KV example's write format: {@code op(1) keyLength(2) key(UTF-8) value(rest)}.
 *
 * @param op    {@link #PUT} or {@link #DELETE}
 * @param key   non-empty key, at most 1024 bytes of UTF-8
 * @param value the value for PUT (empty for DELETE)
 */
public record KvCommand(byte op, String key, byte[] value) {

    public static final byte PUT = 1;
    public static final byte DELETE = 2;
    private static final int MAX_KEY_BYTES = 1024;

    public static byte[] put(String key, byte[] value) {
        return new KvCommand(PUT, key, value).encode();
    }

    public static byte[] put(String key, String value) {
        return put(key, value.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] delete(String key) {
        return new KvCommand(DELETE, key, new byte[0]).encode();
    }

    public byte[] encode() {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (k.length == 0 || k.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key must be 1.." + MAX_KEY_BYTES + " bytes, got " + k.length);
        }
        ByteBuffer b = ByteBuffer.allocate(1 + 2 + k.length + value.length);
        b.put(op).putShort((short) k.length).put(k).put(value);
        return b.array();
    }

    /** Decodes a command; throws IllegalArgumentException naming what is wrong. */
    public static KvCommand decode(byte[] bytes) {
        if (bytes.length < 3) {
            throw new IllegalArgumentException("KV command too short: " + bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte op = b.get();
        if (op != PUT && op != DELETE) {
            throw new IllegalArgumentException("unknown KV op " + op);
        }
        int keyLength = Short.toUnsignedInt(b.getShort());
        if (keyLength == 0 || keyLength > b.remaining()) {
            throw new IllegalArgumentException("bad KV key length " + keyLength);
        }
        byte[] k = new byte[keyLength];
        b.get(k);
        byte[] v = new byte[b.remaining()];
        b.get(v);
        return new KvCommand(op, new String(k, StandardCharsets.UTF_8), v);
    }
}
