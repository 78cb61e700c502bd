package io.meridian.transport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The key shared by every node of the cluster, used to sign and verify frames.
 *
 * <p>Immutable. Never prints its bytes: {@link #toString()} shows only the length, so a secret
 * cannot leak through logs, exceptions or debugger views of configuration objects.
 */
public final class ClusterSecret {

    /** Shorter keys make HMAC-SHA256 brute-forceable in practice. */
    public static final int MIN_LENGTH = 16;

    private final byte[] key;

    private ClusterSecret(byte[] key) {
        if (key.length < MIN_LENGTH) {
            throw new IllegalArgumentException(
                "cluster secret must be at least " + MIN_LENGTH + " bytes, got " + key.length);
        }
        this.key = key;
    }

    /** A secret from raw bytes; the array is copied so later changes to it have no effect. */
    public static ClusterSecret of(byte[] key) {
        return new ClusterSecret(Objects.requireNonNull(key, "key").clone());
    }

    /** A secret from a string (its UTF-8 bytes), e.g. read from configuration or an environment variable. */
    public static ClusterSecret of(String key) {
        return new ClusterSecret(Objects.requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the key bytes. */
    public byte[] bytes() {
        return key.clone();
    }

    public int length() {
        return key.length;
    }

    @Override
    public boolean equals(Object other) {
        // Constant-time so equality checks cannot become a timing oracle.
        return other instanceof ClusterSecret that && MessageDigest.isEqual(key, that.key);
    }

    @Override
    public int hashCode() {
        // Deliberately weak: a hash of the key bytes would be a leak of its own.
        return key.length;
    }

    @Override
    public String toString() {
        return "ClusterSecret[" + key.length + " bytes, redacted]";
    }
}
