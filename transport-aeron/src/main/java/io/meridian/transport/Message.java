package io.meridian.transport;

/**
 * Every message that crosses regions. The byte layout of each is defined once, in {@link WireFormat}.
 * Each frame also carries a {@link FrameHeader} (sender, epoch, replay sequence, HMAC) that the
 * transport fills in and checks; messages themselves hold only their own fields.
 */
public sealed interface Message permits Message.Handshake, Message.HandshakeReply, Message.Batch, Message.Ack,
        Message.Reject, Message.Ping, Message.Pong, Message.ImageRequest, Message.ImageChunk,
        Message.VoteRequest, Message.VoteReply, Message.ForwardRequest, Message.ForwardReply {

    /** Shipper → receiver: open a stream. {@code replyTo} is the sender's own Aeron endpoint (host:port). */
    record Handshake(String replyTo, long epoch, String primaryRegion) implements Message { }

    /**
     * Receiver → shipper: where to start. {@code lastIndex}/{@code lastEpoch} describe the receiver's
     * last cluster-log entry; {@code leaderHint} is the receiver region's Raft leader's Aeron endpoint
     * when the receiving node is not that leader (empty when it is).
     */
    record HandshakeReply(long lastIndex, long lastEpoch, long epoch, String primaryRegion, boolean isLeader,
                          String leaderHint) implements Message { }

    /**
     * Shipper → receiver: entries {@code firstIndex..lastIndex} of the cluster log, encoded by the
     * cross-region layer into {@code entries} (compressed when {@code compressed}).
     */
    record Batch(long epoch, long firstIndex, long lastIndex, int entryCount, boolean compressed,
                 int uncompressedLength, byte[] entries, long readMicros, long sentMicros) implements Message {

        /** A batch without stage stamps (they are filled in when it is sent). */
        public Batch(long epoch, long firstIndex, long lastIndex, int entryCount, boolean compressed,
                     int uncompressedLength, byte[] entries) {
            this(epoch, firstIndex, lastIndex, entryCount, compressed, uncompressedLength, entries, 0, 0);
        }

        /** This batch stamped with when its first entry was read and when it is sent (wall-clock µs). */
        public Batch stamped(long readMicros, long sentMicros) {
            return new Batch(epoch, firstIndex, lastIndex, entryCount, compressed, uncompressedLength, entries,
                    readMicros, sentMicros);
        }
    }

    /** Receiver → shipper: everything up to {@code appliedIndex} is committed in the receiver's region. */
    record Ack(long appliedIndex, long epoch) implements Message { }

    /** Either direction: a refusal with a reason and, for a gap, the index the receiver expects next. */
    record Reject(RejectReason reason, long expectedIndex, long epoch, String detail) implements Message { }

    /** Lease heartbeat. {@code sentNanos} is echoed back so the sender times the round trip on its own clock. */
    record Ping(long epoch, String primaryRegion, long sentNanos) implements Message { }

    /** Reply to a {@link Ping}. */
    record Pong(long epoch, String primaryRegion, long echoedSentNanos) implements Message { }

    /** Asks the primary for a state image (rejoin after divergence, or bootstrap past retention). */
    record ImageRequest(String replyTo, long epoch) implements Message { }

    /** One chunk of a state image taken at {@code imageIndex}; {@code last} marks the final chunk. */
    record ImageChunk(long imageIndex, long imageEpoch, int chunkNo, boolean last, byte[] data) implements Message { }

    /** A region being promoted asks a voter (region or witness) to adopt {@code epoch} with {@code candidate} as primary. */
    record VoteRequest(long epoch, String candidate) implements Message { }

    /**
     * A voter's answer: {@code currentEpoch}/{@code currentPrimary} are the newest <em>established</em>
     * epoch it knows (a fact that fences older primaries); {@code votedFor} is the candidate it granted
     * {@code epoch} to ("" when none), so a refused candidate learns who won.
     */
    record VoteReply(long epoch, boolean granted, long currentEpoch, String currentPrimary, String votedFor)
            implements Message {
        public VoteReply(long epoch, boolean granted, long currentEpoch, String currentPrimary) {
            this(epoch, granted, currentEpoch, currentPrimary, "");
        }
    }

    /** {@link ForwardRequest#kind()}: a write to apply. */
    int FORWARD_WRITE = 1;
    /** {@link ForwardRequest#kind()}: a read index (the primary leader's applied index after a read barrier). */
    int FORWARD_READ_INDEX = 2;

    /**
     * A node that cannot take a request asks the primary region's leader to: a write (with its
     * client session, {@code sessionId} "" when none) or a read index. Answered by a
     * {@link ForwardReply} with the same {@code requestId}, sent to {@code replyTo}.
     */
    record ForwardRequest(long requestId, int kind, String replyTo, String sessionId, long sequence, byte[] payload)
            implements Message { }

    /**
     * The answer to a {@link ForwardRequest}: {@code status} 0 = done at ({@code epoch}, {@code index}),
     * otherwise the refusal (codes defined by the replicator, which maps them back to its exceptions);
     * {@code leaderNode} names the primary region's leader as the answering node knows it.
     */
    record ForwardReply(long requestId, int status, long epoch, long index, String primaryRegion, String leaderNode,
                        String detail) implements Message { }
}
