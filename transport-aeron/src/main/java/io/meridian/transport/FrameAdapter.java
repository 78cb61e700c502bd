package io.meridian.transport;

import org.agrona.DirectBuffer;

/**
 * The receive path for one transport: turns raw inbound frames into {@link Envelope}s.
 *
 * <p>Order matters: parse the header (needed to find the MAC) → verify the MAC → replay check
 * (only for authenticated frames, so forgeries cannot poison its state) → decode the body. A frame
 * failing any step is counted in {@link DropCounters} by reason, logged rate-limited, and never
 * reaches the listener.
 *
 * <p>Not thread-safe: call from the single thread that polls the transport. An exception thrown by
 * the listener propagates to the caller of {@link #onFrame}.
 */
public final class FrameAdapter {

    private final FrameAuthenticator authenticator;
    private final ReplayGuard replayGuard;
    private final DropCounters dropCounters;
    private final DropLog dropLog;

    public FrameAdapter(FrameAuthenticator authenticator, DropCounters dropCounters) {
        this(authenticator, new ReplayGuard(), dropCounters, new DropLog());
    }

    FrameAdapter(FrameAuthenticator authenticator, ReplayGuard replayGuard, DropCounters dropCounters,
                 DropLog dropLog) {
        this.authenticator = authenticator;
        this.replayGuard = replayGuard;
        this.dropCounters = dropCounters;
        this.dropLog = dropLog;
    }

    /**
     * Handles one complete frame occupying exactly {@code [offset, offset + length)}.
     *
     * @return true if the frame was delivered to {@code listener}, false if it was dropped
     */
    public boolean onFrame(DirectBuffer buffer, int offset, int length, MessageListener listener) {
        DecodeResult<FrameHeader> headerResult = WireFormat.decodeHeader(buffer, offset, length);
        if (!headerResult.isOk()) {
            return drop(headerResult.reason(), null);
        }
        FrameHeader header = headerResult.value();
        if (!authenticator.verify(buffer, offset, header.signedLength())) {
            return drop(DropCounters.Reason.BAD_MAC, header);
        }
        if (!replayGuard.accept(header.senderRegion(), header.senderNode(), header.senderIncarnation(),
            header.frameSeq())) {
            return drop(DropCounters.Reason.REPLAYED, header);
        }
        DecodeResult<Message> body = WireFormat.decodeBody(buffer, offset, header);
        if (!body.isOk()) {
            return drop(body.reason(), header);
        }
        listener.onMessage(new Envelope(header.senderRegion(), header.senderNode(), header.senderEndpoint(),
            header.senderEpoch(), body.value()));
        return true;
    }

    public DropCounters dropCounters() {
        return dropCounters;
    }

    private boolean drop(DropCounters.Reason reason, FrameHeader header) {
        dropCounters.increment(reason);
        dropLog.onDrop(reason, header);
        return false;
    }
}
