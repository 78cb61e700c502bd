package io.meridian;

import io.meridian.raft.RaftCommand;
import io.meridian.raft.RegionNode;
import io.meridian.raft.SnapshotFile;
import io.meridian.transport.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves a state image (a JRaft snapshot file: cluster state + user state) from the primary's leader
 * to a region that cannot continue from the log (a divergent old primary, or a region whose needed
 * WAL range was released). Sending is throttled; chunks are sent in order and the receiver restarts
 * the request if one goes missing.
 *
 * <p>Neither side holds the image in memory while it travels: the sender streams chunks from a private
 * copy of the snapshot file (JRaft may delete the original when it takes a newer snapshot), the
 * receiver appends them to a file under {@code workDir} and refuses an image larger than
 * {@code maxImageBytes}. Installing it still reads it whole once, because it goes through the region's
 * Raft log as one entry.
 */
final class ImageTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(ImageTransfer.class);
    static final int CHUNK_BYTES = 32 * 1024;

    /** The image being received is larger than the configured bound; it was dropped. */
    static final class ImageTooLargeException extends IOException {
        ImageTooLargeException(String message) {
            super(message);
        }
    }

    private final RegionNode node;
    private final long bytesPerSecond;
    private final Path workDir;
    private final long maxImageBytes;
    private final AtomicLong tooLarge = new AtomicLong();
    private volatile long receivingBytes;

    // Sending side (agent thread, and the snapshot completion that prepares it; guarded by this).
    private FileChannel outgoing;
    private Path outgoingFile;
    private long outgoingLength;
    private String outgoingTo;
    private long outgoingIndex;
    private long outgoingEpoch;
    private int nextChunk;
    private long nextSendNanos;
    private volatile boolean preparing;

    // Receiving side (agent thread only).
    private FileChannel incoming;
    private Path incomingFile;
    private long incomingIndex = -1;
    private int expectedChunk;

    ImageTransfer(RegionNode node, long bytesPerSecond, Path workDir, long maxImageBytes) {
        this.node = node;
        this.bytesPerSecond = bytesPerSecond;
        this.workDir = workDir;
        this.maxImageBytes = maxImageBytes;
        try {
            Files.createDirectories(workDir);
            // left by a crash mid-transfer: never resumed (a transfer always starts from chunk 0)
            try (var stale = Files.newDirectoryStream(workDir, "*.image")) {
                for (Path p : stale) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot prepare the image directory {}: {}", workDir, e.toString());
        }
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
                Path copy = Files.createTempFile(workDir, "outgoing-", ".image");
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                SnapshotFile.Contents header = SnapshotFile.read(copy);
                synchronized (this) {
                    closeOutgoing();
                    outgoingFile = copy;
                    outgoing = FileChannel.open(copy, StandardOpenOption.READ);
                    outgoingLength = outgoing.size();
                    outgoingTo = replyTo;
                    outgoingIndex = header.state().appliedIndex();
                    outgoingEpoch = header.state().appliedEpoch();
                    nextChunk = 0;
                    nextSendNanos = 0;
                }
                LOG.info("sending state image at index {} ({} bytes) to {}", outgoingIndex, outgoingLength, replyTo);
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
        long from = (long) nextChunk * CHUNK_BYTES;
        int len = (int) Math.min(CHUNK_BYTES, outgoingLength - from);
        boolean last = from + len >= outgoingLength;
        byte[] chunk = new byte[len];
        try {
            ByteBuffer buf = ByteBuffer.wrap(chunk);
            while (buf.hasRemaining() && outgoing.read(buf, from + buf.position()) >= 0) {
                // positional reads until the chunk is full
            }
        } catch (IOException e) {
            LOG.warn("cannot read the outgoing image: {}; the receiver will ask again", e.toString());
            closeOutgoing();
            return 0;
        }
        if (!sender.send(outgoingTo, new Message.ImageChunk(outgoingIndex, outgoingEpoch, nextChunk, last, chunk))) {
            return 0;
        }
        nextChunk++;
        nextSendNanos = nowNanos + (bytesPerSecond <= 0 ? 0 : len * 1_000_000_000L / bytesPerSecond);
        if (last) {
            LOG.info("state image at index {} sent to {} in {} chunks", outgoingIndex, outgoingTo, nextChunk);
            closeOutgoing();
        }
        return 1;
    }

    private void closeOutgoing() {
        closeQuietly(outgoing, outgoingFile);
        outgoing = null;
        outgoingFile = null;
    }

    /** Sends one chunk; false on back-pressure. */
    interface ChunkSender {
        boolean send(String endpoint, Message message);
    }

    /** Rejoining leader: the request was (re)sent; forget any partial image. */
    void expectImage() throws IOException {
        abortIncoming();
        incomingFile = Files.createTempFile(workDir, "incoming-", ".image");
        incoming = FileChannel.open(incomingFile, StandardOpenOption.WRITE);
        incomingIndex = -1;
        expectedChunk = 0;
    }

    /** Bytes of the image being received so far (0 when none). */
    long receivingBytes() {
        return receivingBytes;
    }

    /** Images dropped because they exceeded the bound. */
    long imagesTooLarge() {
        return tooLarge.get();
    }

    /**
     * Rejoining leader: a chunk arrived. Returns the proposal of the finished image, or null while
     * incomplete. A chunk out of order aborts (the caller re-requests); so does an image past the bound
     * ({@link ImageTooLargeException}).
     */
    CompletableFuture<?> onChunk(Message.ImageChunk chunk) throws IOException {
        if (incoming == null) {
            return null;
        }
        if (chunk.chunkNo() != expectedChunk || (incomingIndex >= 0 && chunk.imageIndex() != incomingIndex)) {
            abortIncoming();
            throw new IOException("image chunk " + chunk.chunkNo() + " of image " + chunk.imageIndex()
                    + " out of order (expected " + expectedChunk + ")");
        }
        if (receivingBytes + chunk.data().length > maxImageBytes) {
            abortIncoming();
            tooLarge.incrementAndGet();
            throw new ImageTooLargeException("state image at index " + chunk.imageIndex() + " exceeds maxImageBytes "
                    + maxImageBytes + " (CrossRegionSettings.maxImageBytes); dropped");
        }
        incomingIndex = chunk.imageIndex();
        ByteBuffer data = ByteBuffer.wrap(chunk.data());
        while (data.hasRemaining()) {
            incoming.write(data);
        }
        receivingBytes += chunk.data().length;
        expectedChunk++;
        if (!chunk.last()) {
            return null;
        }
        Path file = incomingFile;
        long size = receivingBytes;
        incoming.close();
        incoming = null;
        receivingBytes = 0;
        try {
            SnapshotFile.Contents contents = SnapshotFile.read(file);
            LOG.info("installing state image at index {} ({} bytes) through the region's Raft log",
                    contents.state().appliedIndex(), size);
            return node.propose(new RaftCommand.InstallImage(contents.state(), contents.userSnapshot(),
                    contents.sessions()));
        } finally {
            incomingFile = null;
            Files.deleteIfExists(file);
        }
    }

    private void abortIncoming() {
        closeQuietly(incoming, incomingFile);
        incoming = null;
        incomingFile = null;
        receivingBytes = 0;
    }

    /** Drops both directions' files (node closing). */
    synchronized void close() {
        closeOutgoing();
        abortIncoming();
    }

    private static void closeQuietly(FileChannel channel, Path file) {
        try {
            if (channel != null) {
                channel.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.debug("cannot remove image file {}: {}", file, e.toString());
        }
    }
}
