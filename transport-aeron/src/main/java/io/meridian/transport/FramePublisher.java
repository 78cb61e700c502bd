package io.meridian.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.exceptions.AeronException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound stream to one remote endpoint: encodes and signs frames into a reusable buffer and
 * offers them to an Aeron {@link ExclusivePublication}.
 *
 * <p>The publication is added asynchronously so {@link #send} never waits for the media driver:
 * until it is ready, and whenever Aeron reports back-pressure, not-connected or an admin action,
 * {@code send} returns false and the caller retries. A publication that closes or exhausts its
 * position space is replaced on a later send.
 *
 * <p>Thread-safe: {@code send} is synchronized because the sequence number must be taken and the
 * frame offered as one step, or two threads could put frames on the wire out of sequence and the
 * receiver would drop the later-numbered-but-earlier-sent one as a replay.
 */
final class FramePublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FramePublisher.class);
    private static final long RETRY_AFTER_ERROR_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long NO_REGISTRATION = Aeron.NULL_VALUE;

    private final Aeron aeron;
    private final String channel;
    private final int streamId;
    private final FrameEncoder encoder;
    private final AtomicLong frameSeq;

    private long registrationId = NO_REGISTRATION;
    private boolean backingOff;
    private long retryAtNs;
    private ExclusivePublication publication;
    private boolean closed;

    FramePublisher(Aeron aeron, String channel, int streamId, FrameEncoder encoder, AtomicLong frameSeq) {
        this.aeron = aeron;
        this.channel = channel;
        this.streamId = streamId;
        this.encoder = encoder;
        this.frameSeq = frameSeq;
    }

    /**
     * @return true if Aeron accepted the frame; false if not ready, not connected or back-pressured
     * @throws IllegalArgumentException if the encoded frame exceeds the publication's max message length
     */
    synchronized boolean send(long epoch, Message message) {
        ExclusivePublication pub = publication();
        if (pub == null) {
            return false;
        }
        int length = encoder.encode(epoch, frameSeq.incrementAndGet(), message);
        if (length > pub.maxMessageLength()) {
            throw new IllegalArgumentException("frame of " + length + " bytes exceeds max message length "
                + pub.maxMessageLength() + " of " + channel + " (raise termLength or send smaller batches)");
        }
        long result = pub.offer(encoder.buffer(), 0, length);
        if (result > 0) {
            return true;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
            LOG.warn("publication to {} unusable ({}), replacing it", channel,
                result == Publication.CLOSED ? "closed" : "max position exceeded");
            pub.close();
            publication = null;
        }
        return false;
    }

    /** The client this publisher was created on. */
    Aeron client() {
        return aeron;
    }

    /** Whether the remote subscriber is connected (false while the publication is being added). */
    synchronized boolean isConnected() {
        return publication != null && publication.isConnected();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (publication != null) {
            publication.close();
            publication = null;
        } else if (registrationId != NO_REGISTRATION) {
            aeron.asyncRemovePublication(registrationId);
        }
        registrationId = NO_REGISTRATION;
    }

    private ExclusivePublication publication() {
        if (publication != null || closed) {
            return publication;
        }
        if (registrationId == NO_REGISTRATION) {
            if (backingOff && System.nanoTime() - retryAtNs < 0) {
                return null;
            }
            backingOff = false;
            registrationId = aeron.asyncAddExclusivePublication(channel, streamId);
        }
        try {
            publication = aeron.getExclusivePublication(registrationId);
            if (publication != null) {
                registrationId = NO_REGISTRATION;
            }
        } catch (AeronException e) {
            // E.g. an unresolvable host: keep the caller's loop alive and try again later.
            LOG.warn("could not add publication {}: {}; retrying in 1s", channel, e.getMessage());
            registrationId = NO_REGISTRATION;
            backingOff = true;
            retryAtNs = System.nanoTime() + RETRY_AFTER_ERROR_NS;
        }
        return publication;
    }
}
