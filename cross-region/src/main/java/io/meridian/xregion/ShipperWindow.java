package io.meridian.xregion;

import io.meridian.transport.RejectReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The shipping state of one remote region, as a pure state machine in the style of etcd-raft: the
 * agent feeds it events and the current time, and carries out the {@link ShipperAction}s it returns.
 * No threads, no clocks, no I/O, so every edge case is unit-testable. Not thread-safe: one agent
 * thread owns it.
 *
 * <p>{@link ShipperState#STOPPED} → {@code start} → HANDSHAKING → (reply from the remote leader)
 * → STREAMING. A lost stream or failed handshake goes to DISCONNECTED, which re-handshakes after an
 * exponential backoff. A stale-epoch reject ({@link ShipperAction.Fenced}) or a divergent remote tail
 * ({@link ShipperAction.ReportDiverged}) stops the window: both need a decision above this class.
 *
 * <p>This class owns the connection: the state, the remote's endpoints, handshakes, their timeouts and
 * the reconnect backoff. What happens while STREAMING (indexes shipped and acknowledged, batches in
 * flight, gap resends, the overload pause) is the {@link ShipStream}'s; a handshake starts a new one
 * at the remote's reported last index. Resending is always safe: the receiver dedupes by index.
 */
public final class ShipperWindow {

    private static final Logger LOG = LoggerFactory.getLogger(ShipperWindow.class);
    private final String remoteRegion;
    private final ShippingConfig config;
    private final LogMatcher logMatcher;
    private final EndpointSelector endpoints;
    private final ReconnectBackoff backoff;
    private final ShipStream stream;

    private ShipperState state = ShipperState.STOPPED;
    private long handshakeDeadlineNanos;
    private long retryAtNanos;
    private long reconnects;
    private String lastDisconnectReason = "";

    /**
     * @param remoteRegion name of the remote region, for logs
     * @param endpoints    the remote region's node endpoints; the first is tried first
     * @param logMatcher   tells whether the local log holds a given (index, epoch)
     */
    public ShipperWindow(String remoteRegion, List<String> endpoints, ShippingConfig config, LogMatcher logMatcher) {
        this.remoteRegion = remoteRegion;
        this.config = config.conclude();
        this.logMatcher = logMatcher;
        this.endpoints = new EndpointSelector(endpoints);
        this.backoff = new ReconnectBackoff(config.reconnectBackoffMinNanos(), config.reconnectBackoffMaxNanos());
        this.stream = new ShipStream(this.config);
    }

    /** Starts shipping with a handshake to the last known leader. No-op unless STOPPED. */
    public List<ShipperAction> start(long nowNanos) {
        if (state != ShipperState.STOPPED) {
            return List.of();
        }
        backoff.reset();
        endpoints.connected();
        return List.of(sendHandshake(nowNanos, false));
    }

    /** Stops shipping and forgets everything in flight. Emits Disconnected if a stream was up. */
    public List<ShipperAction> stop(long nowNanos) {
        final boolean wasStreaming = state == ShipperState.STREAMING;
        halt();
        return wasStreaming ? List.of(new ShipperAction.Disconnected("stopped")) : List.of();
    }

    /**
     * A handshake reply from the node last sent a handshake; ignored unless HANDSHAKING.
     *
     * @param lastIndex  the remote's last cluster-log index (0 when empty)
     * @param lastEpoch  the epoch of that entry
     * @param isLeader   whether the replying node leads its region
     * @param leaderHint the region leader's endpoint when not leader, else empty
     */
    public List<ShipperAction> onHandshakeReply(long lastIndex, long lastEpoch, boolean isLeader, String leaderHint,
                                                long nowNanos) {
        if (state != ShipperState.HANDSHAKING) {
            return List.of();
        }
        if (!isLeader) {
            return redirectOrRetry(leaderHint, nowNanos, null);
        }
        if (lastIndex < 0) {
            LOG.warn("{}: handshake reply with negative lastIndex {}, retrying", remoteRegion, lastIndex);
            scheduleRetry(nowNanos, true);
            return List.of();
        }
        if (lastIndex > 0 && !logMatcher.matches(lastIndex, lastEpoch)) {
            LOG.warn("{}: remote last entry {}@epoch {} is not in the local log: divergent tail",
                    remoteRegion, lastIndex, lastEpoch);
            halt();
            return List.of(new ShipperAction.ReportDiverged(lastIndex, lastEpoch));
        }
        state = ShipperState.STREAMING;
        backoff.reset();
        endpoints.connected();
        LOG.info("{}: streaming to {} from index {}", remoteRegion, endpoints.current(), lastIndex + 1);
        return List.of(stream.begin(lastIndex));
    }

    /**
     * Records a batch handed to the transport. The agent must have checked {@link #canSend}.
     *
     * @throws IllegalStateException    if not STREAMING or the in-flight window is full
     * @throws IllegalArgumentException if the batch does not start at {@link #nextIndexToShip()}
     */
    public void onBatchSent(long firstIndex, long lastIndex, int bytes, long nowNanos) {
        if (state != ShipperState.STREAMING) {
            throw new IllegalStateException("batch sent while " + state);
        }
        stream.onBatchSent(firstIndex, lastIndex, bytes, nowNanos);
    }

    /**
     * The remote applied everything up to {@code appliedIndex}. Old or duplicate acks (UDP reorders)
     * are ignored. An ack past anything shipped since the handshake is clamped to the highest shipped
     * index: ackedIndex feeds decisions about what the remote safely holds, and entries this window
     * never sent were never checked against the local log, so they must not be counted.
     */
    public List<ShipperAction> onAck(long appliedIndex, long nowNanos) {
        if (state != ShipperState.STREAMING) {
            return List.of();
        }
        final long clampedBefore = stream.clampedAcks();
        final List<ShipperAction> actions = stream.onAck(appliedIndex);
        if (stream.clampedAcks() != clampedBefore) {
            LOG.warn("{}: ack {} beyond highest shipped index {}, clamped", remoteRegion, appliedIndex,
                    stream.highestShippedIndex());
        }
        return actions;
    }

    /**
     * The remote refused a handshake or batch.
     *
     * @param expectedIndex for GAP (and optionally OVERLOADED): the index the receiver expects next
     * @param remoteEpoch   the remote's epoch, reported in {@link ShipperAction.Fenced} on STALE_EPOCH
     * @param leaderHint    for NOT_LEADER: the region leader's endpoint if the receiver knows it, else empty
     */
    public List<ShipperAction> onReject(RejectReason reason, long expectedIndex, long remoteEpoch, String leaderHint,
                                        long nowNanos) {
        if (state == ShipperState.STOPPED) {
            return List.of();
        }
        if (reason == RejectReason.STALE_EPOCH) {
            // Whatever the state: a newer epoch exists, so this node must not ship anything more.
            LOG.warn("{}: fenced by remote epoch {}", remoteRegion, remoteEpoch);
            halt();
            return List.of(new ShipperAction.Fenced(remoteEpoch));
        }
        return switch (state) {
            case HANDSHAKING -> {
                if (reason == RejectReason.NOT_LEADER) {
                    yield redirectOrRetry(leaderHint, nowNanos, null);
                }
                LOG.info("{}: handshake to {} rejected: {}", remoteRegion, endpoints.current(), reason);
                scheduleRetry(nowNanos, true);
                yield List.of();
            }
            case STREAMING -> onStreamingReject(reason, expectedIndex, leaderHint, nowNanos);
            default -> List.of();
        };
    }

    /** Advances timers: reconnect backoff, handshake timeout, ack timeout, overload pause. */
    public List<ShipperAction> tick(long nowNanos) {
        switch (state) {
            case DISCONNECTED -> {
                if (nowNanos - retryAtNanos >= 0) {
                    return List.of(sendHandshake(nowNanos, true));
                }
            }
            case HANDSHAKING -> {
                if (nowNanos - handshakeDeadlineNanos >= 0) {
                    LOG.info("{}: no handshake reply from {}", remoteRegion, endpoints.current());
                    scheduleRetry(nowNanos, true);
                }
            }
            case STREAMING -> {
                stream.tick(nowNanos);
                if (stream.ackOverdue(nowNanos)) {
                    return onAckTimeout(nowNanos);
                }
            }
            default -> {
                // STOPPED: nothing runs.
            }
        }
        return List.of();
    }

    /**
     * The transport has refused to take the next batch (not connected, back-pressure) since
     * {@code blockedSinceNanos}. An endpoint that stays unreachable for an ack timeout is treated
     * like one that stopped acking: the stream is dropped and the shipper handshakes again, moving
     * on to the region's other nodes. Otherwise a batch cut while nothing was in flight would wait
     * for a dead leader forever, since no ack timeout runs without a batch in flight.
     */
    public List<ShipperAction> onSendBlocked(long blockedSinceNanos, long nowNanos) {
        if (state == ShipperState.STREAMING && nowNanos - blockedSinceNanos >= config.ackTimeoutNanos()) {
            return List.of(disconnect("could not send to it for " + (nowNanos - blockedSinceNanos) / 1_000_000
                    + " ms (unreachable)", nowNanos));
        }
        return List.of();
    }

    /**
     * Whether a batch of {@code nextBatchBytes} may be sent now: STREAMING, not paused by an overload
     * reject, and the window has room for one more batch of that size. When nothing is in flight one
     * batch is always allowed, so an entry larger than the byte window still gets through.
     */
    public boolean canSend(int nextBatchBytes) {
        return state == ShipperState.STREAMING && stream.canSend(nextBatchBytes);
    }

    /** The earliest time at which {@link #tick} may act, or {@link Long#MAX_VALUE}; for idle waits. */
    public long nextDeadlineNanos() {
        return switch (state) {
            case DISCONNECTED -> retryAtNanos;
            case HANDSHAKING -> handshakeDeadlineNanos;
            case STREAMING -> stream.nextDeadlineNanos();
            case STOPPED -> Long.MAX_VALUE;
        };
    }

    public ShipperState state() {
        return state;
    }

    /** Where the WAL tailer must be: the first index of the next batch. */
    public long nextIndexToShip() {
        return stream.shippedIndex() + 1;
    }

    public long ackedIndex() {
        return stream.ackedIndex();
    }

    public long shippedIndex() {
        return stream.shippedIndex();
    }

    public int inFlightBatches() {
        return stream.inFlightBatches();
    }

    public long inFlightBytes() {
        return stream.inFlightBytes();
    }

    /** Handshakes sent other than the first one after {@link #start}: retries, redirects, reconnects. */
    public long reconnects() {
        return reconnects;
    }

    /** Acks that claimed more than was shipped (a misbehaving or confused receiver). */
    public long clampedAcks() {
        return stream.clampedAcks();
    }

    /** The remote node handshakes and batches go to. */
    /** The remote region's node endpoints changed (membership); the current target is kept until it fails. */
    public void updateEndpoints(List<String> newEndpoints) {
        endpoints.replace(newEndpoints);
    }

    public String targetEndpoint() {
        return endpoints.current();
    }

    public String remoteRegion() {
        return remoteRegion;
    }

    /** Why the last stream was lost, or empty. */
    public String lastDisconnectReason() {
        return lastDisconnectReason;
    }

    private List<ShipperAction> onStreamingReject(RejectReason reason, long expectedIndex, String leaderHint,
                                                  long nowNanos) {
        switch (reason) {
            case GAP -> {
                final List<ShipperAction> resend = stream.onGap(expectedIndex);
                return resend != null ? resend : List.of(disconnect("gap reject expects " + expectedIndex
                        + " outside " + stream.window(), nowNanos));
            }
            case OVERLOADED -> {
                // The receiver dropped the batch: back off briefly, then resend from where it stands.
                return List.of(stream.onOverloaded(expectedIndex, nowNanos + config.reconnectBackoffMinNanos()));
            }
            case NOT_LEADER -> {
                return redirectOrRetry(leaderHint, nowNanos, dropStream("remote node is no longer leader"));
            }
            default -> {
                // DIVERGED included: the handshake's log match is the one place divergence is decided.
                return List.of(disconnect("rejected: " + reason, nowNanos));
            }
        }
    }

    private List<ShipperAction> onAckTimeout(long nowNanos) {
        final int timeouts = stream.countAckTimeout();
        if (timeouts >= config.ackTimeoutsBeforeReconnect()) {
            return List.of(disconnect("no ack for " + timeouts + " ack timeouts", nowNanos));
        }
        LOG.info("{}: ack timeout, resending from {}", remoteRegion, stream.ackedIndex() + 1);
        return List.of(stream.resendUnacked());
    }

    /** Follows a usable leader hint at once; otherwise rotates to the next endpoint after a backoff. */
    private List<ShipperAction> redirectOrRetry(String leaderHint, long nowNanos, ShipperAction.Disconnected first) {
        final List<ShipperAction> actions = new ArrayList<>(2);
        if (first != null) {
            actions.add(first);
        }
        if (endpoints.tryRedirect(leaderHint)) {
            actions.add(sendHandshake(nowNanos, true));
        } else {
            scheduleRetry(nowNanos, true);
        }
        return actions;
    }

    private ShipperAction.SendHandshake sendHandshake(long nowNanos, boolean isRetry) {
        if (isRetry) {
            reconnects++;
        }
        state = ShipperState.HANDSHAKING;
        handshakeDeadlineNanos = nowNanos + config.handshakeTimeoutNanos();
        return new ShipperAction.SendHandshake(endpoints.current());
    }

    private void scheduleRetry(long nowNanos, boolean rotate) {
        if (rotate) {
            endpoints.rotate();
        }
        state = ShipperState.DISCONNECTED;
        retryAtNanos = nowNanos + backoff.next();
    }

    /** Loses the stream and reconnects to the same (last known leader) endpoint after a backoff. */
    private ShipperAction.Disconnected disconnect(String reason, long nowNanos) {
        final ShipperAction.Disconnected action = dropStream(reason);
        scheduleRetry(nowNanos, false);
        return action;
    }

    private ShipperAction.Disconnected dropStream(String reason) {
        LOG.info("{}: stream to {} lost: {}", remoteRegion, endpoints.current(), reason);
        lastDisconnectReason = reason;
        stream.clear();
        return new ShipperAction.Disconnected(reason);
    }

    private void halt() {
        state = ShipperState.STOPPED;
        stream.clear();
    }
}
