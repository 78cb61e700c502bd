package io.meridian.transport;

/** Encodes signed frames as standalone byte arrays, as a given sender would put them on the wire. */
final class Frames {

    private final FrameEncoder encoder;
    private long nextSeq;

    Frames(SenderIdentity sender, ClusterSecret secret) {
        this.encoder = new FrameEncoder(sender, new FrameAuthenticator(secret));
    }

    byte[] next(long epoch, Message message) {
        return withSeq(++nextSeq, epoch, message);
    }

    byte[] withSeq(long frameSeq, long epoch, Message message) {
        int length = encoder.encode(epoch, frameSeq, message);
        byte[] frame = new byte[length];
        encoder.buffer().getBytes(0, frame);
        return frame;
    }
}
