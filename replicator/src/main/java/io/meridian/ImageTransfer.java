package io.meridian;

import io.meridian.raft.RaftCommand;
import io.meridian.raft.RegionNode;
import io.meridian.raft.SnapshotFile;
import io.meridian.transport.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Moves a state image (a JRaft snapshot file: cluster state + user state) from the primary's leader
 * to a region that cannot continue from the log (a divergent old primary, or a region whose needed
 * WAL range was released). Sending is throttled; chunks are sent in order and the receiver restarts
 * the request if one goes missing.
 */
final class ImageTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(ImageTransfer.class);
    static final int CHUNK_BYTES = 32 * 1024;

    private final RegionNode node;
    private final long bytesPerSecond;

    // Sending side (agent thread only).
    private byte[] outgoing;
    private String outgoingTo;
    private long outgoingIndex;
    private long outgoingEpoch;
    private int nextChunk;
    private long nextSendNanos;
    private boolean preparing;

    // Receiving side (agent thread only).
    private ByteArrayOutputStream incoming;
    private long incomingIndex = -1;
    private int expectedChunk;

    ImageTransfer(RegionNode node, long bytesPerSecond) {
        this.node = node;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Primary leader: a region asked for an image; take a fresh snapshot and start sending it. */
    void onImageRequest(String replyTo, Runnable wakeUp) {
        if (preparing) {
            return;
        }
        preparing = true;
        node.snapshot().whenComplete((ok, error) -> {
            try {
                if (error != null) {
                    LOG.warn("cannot take a snapshot for an image: {}", error.toString());
                    return;
                }
                Path file = node.latestSnapshotFile().orElseThrow(() -> new IOException("no snapshot file"));
                byte[] bytes = Files.readAllBytes(file);
                SnapshotFile.Contents contents = SnapshotFile.read(file);
                synchronized (this) {
                    outgoing = bytes;
                    outgoingTo = replyTo;
                    outgoingIndex = contents.state().appliedIndex();
                    outgoingEpoch = contents.state().appliedEpoch();
                    nextChunk = 0;
                    nextSendNanos = 0;
                }
                LOG.info("sending state image at index {} ({} bytes) to {}", outgoingIndex, bytes.length, replyTo);
                wakeUp.run();
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot read the snapshot for an image: {}", e.toString());
            } finally {
                preparing = false;
            }
        });
    }

    /** Agent thread: sends the next chunk when the throttle allows; returns work done. */
    synchronized int doWork(long nowNanos, ChunkSender sender) {
        if (outgoing == null || nowNanos - nextSendNanos < 0) {
            return 0;
        }
        int from = nextChunk * CHUNK_BYTES;
        int len = Math.min(CHUNK_BYTES, outgoing.length - from);
        boolean last = from + len >= outgoing.length;
        byte[] chunk = java.util.Arrays.copyOfRange(outgoing, from, from + len);
        if (!sender.send(outgoingTo, new Message.ImageChunk(outgoingIndex, outgoingEpoch, nextChunk, last, chunk))) {
            return 0;
        }
        nextChunk++;
        nextSendNanos = nowNanos + (bytesPerSecond <= 0 ? 0 : len * 1_000_000_000L / bytesPerSecond);
        if (last) {
            LOG.info("state image at index {} sent to {} in {} chunks", outgoingIndex, outgoingTo, nextChunk);
            outgoing = null;
        }
        return 1;
    }

    /** Sends one chunk; false on back-pressure. */
    interface ChunkSender {
        boolean send(String endpoint, Message message);
    }

    /** Rejoining leader: the request was (re)sent; forget any partial image. */
    void expectImage() {
        incoming = new ByteArrayOutputStream();
        incomingIndex = -1;
        expectedChunk = 0;
    }

    boolean isReceiving() {
        return incoming != null;
    }

    /**
     * Rejoining leader: a chunk arrived. Returns the proposal of the finished image, or null while
     * incomplete. A chunk out of order aborts (the caller re-requests).
     */
    CompletableFuture<?> onChunk(Message.ImageChunk chunk) throws IOException {
        if (incoming == null) {
            return null;
        }
        if (chunk.chunkNo() != expectedChunk || (incomingIndex >= 0 && chunk.imageIndex() != incomingIndex)) {
            incoming = null;
            throw new IOException("image chunk " + chunk.chunkNo() + " of image " + chunk.imageIndex()
                    + " out of order (expected " + expectedChunk + ")");
        }
        incomingIndex = chunk.imageIndex();
        incoming.write(chunk.data());
        expectedChunk++;
        if (!chunk.last()) {
            return null;
        }
        byte[] bytes = incoming.toByteArray();
        incoming = null;
        Path tmp = Files.createTempFile("meridian-image", ".snapshot");
        try {
            Files.write(tmp, bytes);
            SnapshotFile.Contents contents = SnapshotFile.read(tmp);
            LOG.info("installing state image at index {} ({} bytes) through the region's Raft log",
                    contents.state().appliedIndex(), bytes.length);
            return node.propose(new RaftCommand.InstallImage(contents.state(), contents.userSnapshot()));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
