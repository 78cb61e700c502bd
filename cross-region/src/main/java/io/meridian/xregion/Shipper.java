package io.meridian.xregion;

import io.meridian.raft.ClusterState;
import io.meridian.transport.Message;
import io.meridian.transport.RejectReason;
import io.meridian.wal.WalException;
import io.meridian.wal.WalReleasedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;

/**
 * Ships this node's WAL to one remote region: the I/O loop around a {@link ShipperWindow}. Its
 * {@link WalBatcher} tails the WAL and cuts encoded batches; this class offers them to the transport,
 * handles the remote's answers, and keeps the WAL consumer position and the lag; every decision
 * (where to start, whether the window has room, when to resend) is the window's.
 *
 * <p>Failures stay local to this remote: the agent hands any exception of {@link #doWork} or
 * {@link #onMessage} to {@link #onFailure}, which stops this shipper and retries with exponential
 * backoff, starting over with a handshake (so from the remote's acknowledged watermark). An entry
 * it can never ship (corrupt in the WAL, or larger than a frame) halts it with a health error naming
 * the index until this node stops leading; other remotes, whose readers are elsewhere, carry on.
 */
final class Shipper {

    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    private static final long DIVERGED_RETRY_NANOS = 1_000_000_000L;
    /** Lag percentiles in the published status are at most this old (the counters are always current). */
    private static final long LAG_PERCENTILES_MAX_AGE_NANOS = 100_000_000L;
    private static final long FAILURE_BACKOFF_MIN_NANOS = 100_000_000L;
    private static final long FAILURE_BACKOFF_MAX_NANOS = 10_000_000_000L;

    private final String remoteRegion;
    private final LocalRegion local;
    private final ShippingConfig config;
    private final WalBatcher batcher;
    private final LagTracker lag;
    private final ShipperWindow window;
    private final Function<String, String> endpointMapper;
    private final Outbound outbound;
    private final CrossRegionListener listener;
    private final ArrayDeque<long[]> sentTimestamps = new ArrayDeque<>(); // {lastIndex, originMillis}
    private long restartAtNanos = Long.MAX_VALUE;
    private static final long NOT_BLOCKED = Long.MIN_VALUE;
    private long sendBlockedSinceNanos = NOT_BLOCKED;
    private String pendingHandshake;
    private boolean active;
    private final RetryBackoff failureBackoff = new RetryBackoff(FAILURE_BACKOFF_MIN_NANOS, FAILURE_BACKOFF_MAX_NANOS);
    private final FaultLog faults;
    private volatile String lastError = "";
    private volatile long errors;
    private String haltedBecause; // non-null: an entry that cannot ship stops this remote until leadership changes
    private final String consumerName;
    private long reportedPassed = -1; // what this shipper last told the WAL it passed; -1: not registered

    /** Sends a message (already epoch-stamped by the caller) to an endpoint; false on back-pressure. */
    interface Outbound {
        boolean send(String endpoint, Message message);
    }

    Shipper(String remoteRegion, List<String> remoteEndpoints, LocalRegion local, ShippingConfig config,
            Function<String, String> endpointMapper, Outbound outbound, CrossRegionListener listener, FaultLog faults) {
        this.remoteRegion = remoteRegion;
        this.consumerName = "shipper-" + remoteRegion;
        this.faults = faults;
        this.local = local;
        this.config = config;
        this.batcher = new WalBatcher(remoteRegion, local, config);
        this.lag = new LagTracker(remoteRegion);
        this.endpointMapper = endpointMapper;
        this.outbound = outbound;
        this.listener = listener;
        this.window = new ShipperWindow(remoteRegion, remoteEndpoints, config,
                (index, epoch) -> local.state().epochAt(index) == epoch);
    }

    /** The remote region's membership changed: its node endpoints are now {@code endpoints}. */
    void updateEndpoints(List<String> endpoints) {
        window.updateEndpoints(endpoints);
    }

    /** One duty cycle; returns the work count. */
    int doWork(long nowNanos) {
        long limit = local.shipLimit(remoteRegion);
        if (limit < 0) {
            if (active) {
                deactivate(nowNanos, "no longer shipping (not leader or not primary)");
            }
            haltedBecause = null; // a later term re-reads the WAL from scratch
            unregisterConsumer();
            return 0;
        }
        reportConsumer();
        if (haltedBecause != null || failureBackoff.isWaiting(nowNanos)) {
            return 0;
        }
        if (!active) {
            if (nowNanos - restartAtNanos < 0 && restartAtNanos != Long.MAX_VALUE) {
                return 0;
            }
            activate(nowNanos);
        }
        int work = apply(window.tick(nowNanos), nowNanos);
        if (pendingHandshake != null) {
            work += sendPendingHandshake();
        }
        if (window.state() == ShipperState.STOPPED) {
            active = false;
            closeReader();
            return work;
        }
        if (window.state() == ShipperState.STREAMING) {
            work += stream(limit, nowNanos);
        }
        return work;
    }

    /**
     * While this node ships, the remote's acknowledged index is what this node's WAL must keep above:
     * retention releases nothing the remote has not acknowledged (up to the WAL's hard cap). Before
     * the first handshake that is 0, so a remote never heard from holds everything back until the cap.
     */
    private void reportConsumer() {
        long acked = window.ackedIndex();
        if (acked != reportedPassed) {
            local.wal().consumerPassed(consumerName, acked);
            reportedPassed = acked;
        }
    }

    /** A node that stops shipping must not hold its WAL back for a remote it no longer serves. */
    private void unregisterConsumer() {
        if (reportedPassed >= 0) {
            local.wal().removeConsumer(consumerName);
            reportedPassed = -1;
        }
    }

    private void activate(long nowNanos) {
        active = true;
        restartAtNanos = Long.MAX_VALUE;
        LOG.info("shipping to region {} starts", remoteRegion);
        apply(window.start(nowNanos), nowNanos);
    }

    private void deactivate(long nowNanos, String why) {
        LOG.info("shipping to region {} stops: {}", remoteRegion, why);
        active = false;
        window.stop(nowNanos);
        resetPipeline();
        closeReader();
    }

    private int stream(long limit, long nowNanos) {
        if (batcher.pending() != null) {
            return trySendPending(nowNanos);
        }
        if (!batcher.positioned()) {
            return 0;
        }
        int work;
        try {
            work = batcher.fill(limit, window.inFlightBatches() == 0, nowNanos);
        } catch (WalBatcher.UnshippableEntryException e) {
            halt(e.reason(), e.getMessage(), e.getCause(), nowNanos);
            return 0;
        }
        WalBatcher.Pending cut = batcher.pending();
        if (cut != null) {
            rememberTimestamp(cut.last(), cut.lastTimestampMillis());
            work += trySendPending(nowNanos);
        }
        return work;
    }

    private int trySendPending(long nowNanos) {
        WalBatcher.Pending pending = batcher.pending();
        int bytes = pending.batch().entries().length;
        if (!window.canSend(bytes)) {
            return 0;
        }
        if (!outbound.send(endpointMapper.apply(window.targetEndpoint()),
                pending.batch().stamped(pending.readMicros(), LagAnatomy.wallMicros()))) {
            // Back-pressure or not connected: keep the batch and retry next cycle, unless the
            // endpoint has been unreachable for an ack timeout (the window then reconnects).
            if (sendBlockedSinceNanos == NOT_BLOCKED) {
                sendBlockedSinceNanos = nowNanos;
            }
            return apply(window.onSendBlocked(sendBlockedSinceNanos, nowNanos), nowNanos) > 0 ? 1 : 0;
        }
        sendBlockedSinceNanos = NOT_BLOCKED;
        window.onBatchSent(pending.first(), pending.last(), bytes, nowNanos);
        lag.recordBatchShipped(pending.batch().entryCount(), bytes);
        batcher.sent();
        return 1;
    }

    private void rememberTimestamp(long index, long originMillis) {
        sentTimestamps.addLast(new long[] {index, originMillis});
        while (sentTimestamps.size() > 4 * config.maxInFlightBatches()) {
            sentTimestamps.pollFirst();
        }
    }

    /** Handles a message from the remote region addressed to this shipper. */
    void onMessage(Message message, long nowNanos) {
        if (!active) {
            return;
        }
        if (message instanceof Message.HandshakeReply r) {
            if (r.epoch() > local.state().epoch() && r.primaryRegion() != null && !r.primaryRegion().isEmpty()) {
                local.onHigherEpoch(r.epoch(), r.primaryRegion());
            }
            apply(window.onHandshakeReply(r.lastIndex(), r.lastEpoch(), r.isLeader(), r.leaderHint(), nowNanos),
                    nowNanos);
        } else if (message instanceof Message.Ack a) {
            long before = window.ackedIndex();
            apply(window.onAck(a.appliedIndex(), nowNanos), nowNanos);
            long after = window.ackedIndex();
            if (after > before) {
                failureBackoff.onSuccess();
                recordLag(after);
                listener.onRemoteAcked(remoteRegion, after);
            }
        } else if (message instanceof Message.Reject r) {
            if (r.reason() == RejectReason.STALE_EPOCH) {
                local.onHigherEpoch(r.epoch(), r.detail());
            }
            apply(window.onReject(r.reason(), r.expectedIndex(), r.epoch(), r.detail(), nowNanos), nowNanos);
        }
    }

    private void recordLag(long ackedIndex) {
        long now = System.currentTimeMillis();
        while (!sentTimestamps.isEmpty() && sentTimestamps.peekFirst()[0] <= ackedIndex) {
            long[] sent = sentTimestamps.pollFirst();
            lag.recordLagMillis(Math.max(0, now - sent[1]));
        }
    }

    private int apply(List<ShipperAction> actions, long nowNanos) {
        for (ShipperAction action : actions) {
            if (action instanceof ShipperAction.SendHandshake h) {
                pendingHandshake = h.endpoint();
                sendPendingHandshake();
            } else if (action instanceof ShipperAction.SeekTailer seek) {
                seek(seek.index(), nowNanos);
            } else if (action instanceof ShipperAction.Disconnected d) {
                LOG.info("shipping to {} disconnected: {}", remoteRegion, d.reason());
                resetPipeline();
            } else if (action instanceof ShipperAction.ReportDiverged d) {
                onDiverged(d, nowNanos);
            } else if (action instanceof ShipperAction.Fenced f) {
                LOG.warn("shipping to {} stopped: remote knows epoch {}", remoteRegion, f.remoteEpoch());
                resetPipeline();
                restartAtNanos = nowNanos + DIVERGED_RETRY_NANOS;
            }
        }
        return actions.size();
    }

    /**
     * The first frame to a new endpoint is refused until Aeron has connected the publication: keep
     * offering the handshake every duty cycle rather than wait a whole handshake timeout.
     */
    private int sendPendingHandshake() {
        if (window.state() != ShipperState.HANDSHAKING) {
            pendingHandshake = null;
            return 0;
        }
        ClusterState s = local.state();
        if (outbound.send(endpointMapper.apply(pendingHandshake), new Message.Handshake("", s.epoch(), s.primaryRegion()))) {
            pendingHandshake = null;
            return 1;
        }
        return 0;
    }

    private void onDiverged(ShipperAction.ReportDiverged d, long nowNanos) {
        ClusterState s = local.state();
        long match = s.lastMatchingIndex(d.remoteLastIndex(), d.remoteLastEpoch());
        LOG.warn("region {} holds a divergent tail after index {} (its last entry {}@{}); asking it to rejoin",
                remoteRegion, match, d.remoteLastIndex(), d.remoteLastEpoch());
        outbound.send(endpointMapper.apply(window.targetEndpoint()),
                new Message.Reject(RejectReason.DIVERGED, match + 1, s.epoch(), s.primaryRegion()));
        resetPipeline();
        restartAtNanos = nowNanos + DIVERGED_RETRY_NANOS;
    }

    private void seek(long index, long nowNanos) {
        try {
            batcher.seek(index);
        } catch (WalReleasedException e) {
            // The remote needs entries this node no longer holds: it must bootstrap from an image.
            ClusterState s = local.state();
            LOG.warn("region {} needs index {} which this node's WAL no longer holds ({}); asking it to "
                    + "bootstrap from an image", remoteRegion, index, e.getMessage());
            outbound.send(endpointMapper.apply(window.targetEndpoint()),
                    new Message.Reject(RejectReason.DIVERGED, index, s.epoch(), s.primaryRegion()));
            window.stop(nowNanos);
            closeReader();
            active = false;
            restartAtNanos = nowNanos + DIVERGED_RETRY_NANOS;
        } catch (WalException | IllegalArgumentException e) {
            LOG.error("cannot position WAL reader at {} for region {}: {}", index, remoteRegion, e.toString());
            window.stop(nowNanos);
            closeReader();
            active = false;
            restartAtNanos = nowNanos + DIVERGED_RETRY_NANOS;
        }
    }

    /**
     * Called by the agent when {@link #doWork} or {@link #onMessage} threw: counts it, logs it (rate
     * limited), stops this shipper and lets it start over, with a handshake, after a backoff.
     */
    void onFailure(Throwable error, long nowNanos) {
        errors++;
        lastError = error.getClass().getSimpleName() + ": " + error.getMessage();
        faults.record(FaultLog.SHIPPER, "shipping to region " + remoteRegion + " (state " + window.state()
                + ", shipped " + window.shippedIndex() + ", acked " + window.ackedIndex() + ")", error, nowNanos);
        long wait = failureBackoff.onFailure(nowNanos);
        LOG.debug("shipping to region {} retries in {} ms", remoteRegion, wait / 1_000_000);
        stopQuietly(nowNanos);
    }

    /** Starts over with a handshake at the next duty cycle, e.g. after the transport was rebuilt. */
    void restart(long nowNanos, String why) {
        if (active) {
            deactivate(nowNanos, why);
        }
    }

    private void halt(String reason, String why, Throwable error, long nowNanos) {
        errors++;
        lastError = why;
        haltedBecause = why;
        faults.record(reason, "shipping to region " + remoteRegion + " halted: " + why, error, nowNanos);
        stopQuietly(nowNanos);
    }

    private void stopQuietly(long nowNanos) {
        active = false;
        window.stop(nowNanos);
        resetPipeline();
        closeReader();
    }

    private void resetPipeline() {
        batcher.reset();
        sendBlockedSinceNanos = NOT_BLOCKED;
    }

    private void closeReader() {
        batcher.close();
    }

    ShipperStatus status(long nowNanos) {
        long last = local.wal().lastIndex();
        String state = haltedBecause != null ? "HALTED" : active ? window.state().name() : "IDLE";
        return new ShipperStatus(remoteRegion, state, window.shippedIndex(),
                window.ackedIndex(), Math.max(0, last - window.ackedIndex()),
                lag.snapshot(nowNanos, LAG_PERCENTILES_MAX_AGE_NANOS), window.reconnects(),
                window.inFlightBatches(), window.inFlightBytes(), errors, lastError);
    }

    long ackedIndex() {
        return window.ackedIndex();
    }

    String remoteRegion() {
        return remoteRegion;
    }

    void close() {
        closeReader();
        unregisterConsumer();
    }
}
