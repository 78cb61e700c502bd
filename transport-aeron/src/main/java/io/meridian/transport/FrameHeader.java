package io.meridian.transport;

/**
 * The decoded header of one inbound frame (layout in {@link WireFormat}).
 *
 * <p>Until the frame's MAC has been verified every field is attacker-controlled: use them only to
 * locate the MAC and to say, in logs, who the frame <em>claims</em> to come from.
 *
 * @param headerLength bytes from the frame start to the body
 * @param bodyLength   bytes of body; the MAC trailer follows it
 */
public record FrameHeader(int version, int type, int flags, String senderRegion, String senderNode,
                          String senderEndpoint, long senderEpoch, long senderIncarnation, long frameSeq,
                          int headerLength, int bodyLength) {

    /** Bytes covered by the MAC: header plus body. */
    public int signedLength() {
        return headerLength + bodyLength;
    }
}
