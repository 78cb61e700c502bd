package io.meridian.transport;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes and signs outbound frames into one reusable buffer, so steady-state sending allocates
 * nothing for the frame itself. Not thread-safe: each instance belongs to one sender lock.
 */
public final class FrameEncoder {

    private static final int INITIAL_CAPACITY = 64 * 1024 + 1024;

    private final SenderIdentity sender;
    private final byte[] encodedNames;
    private final FrameAuthenticator authenticator;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(INITIAL_CAPACITY);

    public FrameEncoder(SenderIdentity sender, FrameAuthenticator authenticator) {
        this.sender = sender;
        this.encodedNames = sender.encodedNames();
        this.authenticator = authenticator;
    }

    /**
     * Encodes and signs a frame at offset 0 of {@link #buffer()}.
     *
     * @return the frame length, MAC included
     */
    public int encode(long epoch, long frameSeq, Message message) {
        int signedLength = WireFormat.encode(buffer, 0, sender, encodedNames, epoch, frameSeq, message);
        return authenticator.sign(buffer, 0, signedLength);
    }

    /** Holds the last encoded frame; valid until the next {@link #encode}. */
    public MutableDirectBuffer buffer() {
        return buffer;
    }
}
