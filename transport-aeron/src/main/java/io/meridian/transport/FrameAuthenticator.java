package io.meridian.transport;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Signs and verifies frames with HMAC-SHA256 under the {@link ClusterSecret}.
 *
 * <p>The MAC covers header and body ({@code [offset, offset + signedLength)}) and is written as a
 * {@value #MAC_LENGTH}-byte trailer right after them. Thread-safe: {@link Mac} is not, so each thread
 * gets its own instance (and its own scratch arrays) through a {@link ThreadLocal}.
 */
public final class FrameAuthenticator {

    public static final String ALGORITHM = "HmacSHA256";
    public static final int MAC_LENGTH = 32;

    private final SecretKeySpec key;
    private final ThreadLocal<PerThread> perThread;

    public FrameAuthenticator(ClusterSecret secret) {
        this.key = new SecretKeySpec(secret.bytes(), ALGORITHM);
        this.perThread = ThreadLocal.withInitial(() -> new PerThread(key));
    }

    /**
     * Writes the MAC of {@code [offset, offset + signedLength)} at {@code offset + signedLength}.
     *
     * @return the total frame length, trailer included
     */
    public int sign(MutableDirectBuffer buffer, int offset, int signedLength) {
        PerThread state = perThread.get();
        byte[] mac = state.compute(buffer, offset, signedLength);
        buffer.putBytes(offset + signedLength, mac);
        return signedLength + MAC_LENGTH;
    }

    /**
     * Whether the trailer at {@code offset + signedLength} is the MAC of the bytes before it.
     * The caller guarantees the trailer lies inside the buffer.
     */
    public boolean verify(DirectBuffer buffer, int offset, int signedLength) {
        PerThread state = perThread.get();
        byte[] expected = state.compute(buffer, offset, signedLength);
        buffer.getBytes(offset + signedLength, state.received, 0, MAC_LENGTH);
        // Constant time: an early-exit compare would let an attacker find the MAC byte by byte.
        return MessageDigest.isEqual(expected, state.received);
    }

    private static final class PerThread {
        private final Mac mac;
        private final byte[] received = new byte[MAC_LENGTH];
        private byte[] scratch = new byte[4096];

        PerThread(SecretKeySpec key) {
            try {
                mac = Mac.getInstance(ALGORITHM);
                mac.init(key);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(ALGORITHM + " unavailable in this JVM", e);
            }
        }

        byte[] compute(DirectBuffer buffer, int offset, int length) {
            byte[] array = buffer.byteArray();
            if (array != null) {
                mac.update(array, buffer.wrapAdjustment() + offset, length);
            } else {
                // Off-heap (e.g. an Aeron term buffer): Mac only reads arrays without copying.
                if (scratch.length < length) {
                    scratch = new byte[Math.max(length, scratch.length * 2)];
                }
                buffer.getBytes(offset, scratch, 0, length);
                mac.update(scratch, 0, length);
            }
            return mac.doFinal();
        }
    }
}
