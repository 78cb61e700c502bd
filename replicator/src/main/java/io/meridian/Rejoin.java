package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.raft.RegionNode;
import io.meridian.transport.Message;
import io.meridian.xregion.CrossRegionAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A deposed primary's way back: export its divergent tail, ask the new primary for a state image,
 * install it through its own Raft log, and follow. Retries the image request every 5 s until the
 * install succeeds; leadership loss stops it (the next leader rejoins when it hears the primary).
 * Called under the coordinator's lock.
 */
final class Rejoin {

    private static final Logger LOG = LoggerFactory.getLogger(Rejoin.class);
    private static final long RETRY_NANOS = 5_000_000_000L;

    private final NodeRuntime runtime;
    private final RegionNode node;
    private final String region;
    private final ImageTransfer images;
    private final Object lock;
    private boolean rejoining;
    private long requestedNanos;
    private String primaryEndpoint;
    private long primaryEpoch;

    Rejoin(NodeRuntime runtime, ImageTransfer images, Object lock) {
        this.runtime = runtime;
        this.node = runtime.regionNode();
        this.region = runtime.ctx().region();
        this.images = images;
        this.lock = lock;
    }

    /** The primary says our log diverged after {@code matchIndex}: export the tail and request an image. */
    void onDiverged(CrossRegionAgent agent, String primaryRegion, String endpoint, long matchIndex, long epoch) {
        if (rejoining) {
            return;
        }
        ClusterState s = node.clusterState();
        try {
            Path dir = runtime.ctx().crossRegion().divergentTailDir() != null
                    ? Path.of(runtime.ctx().crossRegion().divergentTailDir())
                    : runtime.ctx().dataDir().resolve("divergent");
            Path file = DivergentTailExporter.export(runtime.wal(), matchIndex, epoch, dir);
            LOG.warn("{}: log diverged from primary {} after index {} (this region holds up to {}); divergent tail {}; "
                    + "rewinding to the primary's state", region, primaryRegion, matchIndex, s.appliedIndex(),
                    file == null ? "empty (WAL released)" : "exported to " + file);
        } catch (Exception e) {
            LOG.error("{}: cannot export the divergent tail; not rewinding", region, e);
            return;
        }
        rejoining = true;
        primaryEndpoint = endpoint;
        primaryEpoch = epoch;
        requestImage(agent, System.nanoTime());
    }

    /** Agent thread: re-request the image if the last request went unanswered. */
    void doWork(CrossRegionAgent agent, long nowNanos) {
        if (rejoining && nowNanos - requestedNanos > RETRY_NANOS && node.isLeader()) {
            requestImage(agent, nowNanos);
        }
    }

    void onLeadershipLost() {
        rejoining = false;
    }

    void onImageChunk(CrossRegionAgent agent, Message.ImageChunk chunk) {
        if (!rejoining || !node.isLeader()) {
            return;
        }
        try {
            CompletableFuture<?> install = images.onChunk(chunk);
            if (install != null) {
                install.whenComplete((ok, error) -> {
                    synchronized (lock) {
                        if (error != null) {
                            LOG.warn("{}: image install failed: {}; will retry", region, error.toString());
                        } else {
                            LOG.info("{}: state image installed; region follows the primary again", region);
                            rejoining = false;
                        }
                    }
                });
            }
        } catch (ImageTransfer.ImageTooLargeException e) {
            // asking again at once would fetch the same image; the retry timer asks again, slowly
            LOG.error("{}: {}", region, e.getMessage());
        } catch (Exception e) {
            LOG.warn("{}: {}; re-requesting the image", region, e.getMessage());
            requestImage(agent, System.nanoTime());
        }
    }

    private void requestImage(CrossRegionAgent agent, long nowNanos) {
        requestedNanos = nowNanos;
        try {
            images.expectImage();
        } catch (java.io.IOException e) {
            LOG.warn("{}: cannot create a file for the incoming image: {}; retrying later", region, e.toString());
            return;
        }
        agent.enqueue(primaryEndpoint, new Message.ImageRequest("", primaryEpoch));
    }
}
