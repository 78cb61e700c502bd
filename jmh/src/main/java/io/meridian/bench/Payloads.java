package io.meridian.bench;

import io.meridian.kv.KvCommand;

import java.nio.charset.StandardCharsets;

/**
 * The bytes every benchmark writes: a KV put command (so the KV state machine applies it as a real
 * write) of exactly the requested size. The value is record-like text, so LZ4 finds repeats in a
 * batch as it would in typical application data; random bytes would make compression a no-op.
 */
final class Payloads {

    private static final int KEY_SPACE = 10_000;

    private Payloads() {
    }

    /** A put command of exactly {@code size} bytes (at least 16) for key number {@code i}. */
    static byte[] kvPut(int size, int i) {
        String key = String.format("key-%05d", i % KEY_SPACE);
        int valueLength = size - (1 + 2 + key.length());
        if (valueLength < 1) {
            throw new IllegalArgumentException("payload size too small for a KV put: " + size);
        }
        StringBuilder value = new StringBuilder(valueLength + 32);
        for (int field = 0; value.length() < valueLength; field++) {
            value.append("field").append(field).append('=').append((i * 31 + field) % 1000).append(';');
        }
        byte[] payload = KvCommand.put(key, value.substring(0, valueLength).getBytes(StandardCharsets.US_ASCII));
        if (payload.length != size) {
            throw new IllegalStateException("built a " + payload.length + "-byte payload, wanted " + size);
        }
        return payload;
    }
}
