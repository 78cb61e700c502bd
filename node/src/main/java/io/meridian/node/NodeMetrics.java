package io.meridian.node;

import io.meridian.Health;
import io.meridian.Replicator;
import io.meridian.InboundLagSnapshot;
import io.meridian.Position;
import io.meridian.RegionEventListener;
import io.meridian.xregion.FaultLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The node's Prometheus metrics. Counters fed by region events are updated on JRaft's threads
 * (increments only); everything read from {@link Health} is sampled when scraped, so a scrape costs
 * one health snapshot per meter and nothing runs between scrapes.
 */
public final class NodeMetrics implements RegionEventListener, AutoCloseable {

    /**
     * The cross-region fault reasons, registered at zero from the start: a counter that first appears
     * at 1 shows no increase to Prometheus, so the first fault would never fire an alert.
     */
    static final List<String> KNOWN_FAULTS = List.of(FaultLog.SHIPPER, FaultLog.WAL_CORRUPT, FaultLog.OVERSIZED_ENTRY,
            FaultLog.DISPATCH, FaultLog.TIMER, FaultLog.TRANSPORT, FaultLog.OUTBOX_SEND, FaultLog.OUTBOX_FULL,
            FaultLog.OUTBOX_EXPIRED);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Replicator replicator;
    private final Counter commits;
    private final Counter electionsWon;
    private final Counter leaderChanges;
    private final DistributionSummary applyBatch;
    private final Timer applyLatency;
    private final Set<String> remotesRegistered = ConcurrentHashMap.newKeySet();
    private final Set<String> inboundRegistered = ConcurrentHashMap.newKeySet();
    private final Set<String> faultsRegistered = ConcurrentHashMap.newKeySet();
    private volatile String lastLeader = "";
    private volatile Health cached;
    private volatile long cachedAtNanos;
    private final RoleMetrics roles;
    private final JvmProcessMetrics jvm;

    public NodeMetrics(Replicator replicator) {
        this(replicator, null);
    }

    /** @param dataDir the node's data directory (for its disk-space gauges), or null: none */
    public NodeMetrics(Replicator replicator, java.nio.file.Path dataDir) {
        this.replicator = replicator;
        registry.config().commonTags("node", replicator.nodeId(), "region", replicator.region());
        commits = Counter.builder("meridian.commits").description("cluster-log entries applied on this node")
                .register(registry);
        electionsWon = Counter.builder("meridian.elections.won").description("times this node became its region's leader")
                .register(registry);
        leaderChanges = Counter.builder("meridian.leader.changes")
                .description("region leader changes observed by this node (elections)").register(registry);
        applyBatch = DistributionSummary.builder("meridian.apply.batch.entries")
                .description("entries per applied batch").publishPercentileHistogram().register(registry);
        applyLatency = Timer.builder("meridian.client.apply.latency")
                .description("client write latency through the admin API, until committed")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("meridian.epoch", () -> health().epoch()).description("cluster epoch known here").register(registry);
        Gauge.builder("meridian.applied.index", () -> health().appliedIndex()).register(registry);
        Gauge.builder("meridian.wal.last.index", () -> health().walLastIndex()).register(registry);
        Gauge.builder("meridian.wal.first.index", () -> health().walFirstIndex())
                .description("oldest index this node's WAL still holds").register(registry);
        Gauge.builder("meridian.wal.bytes", () -> health().walBytes())
                .description("bytes held by this node's WAL (bounded by the WAL retention cap)").register(registry);
        Gauge.builder("meridian.state.machine.failed", () -> health().isApplying() ? 0 : 1)
                .description("1 when this node stopped applying (state machine threw or WAL failed)").register(registry);
        Gauge.builder("meridian.applied.waiters", () -> health().appliedWaiters())
                .description("awaitApplied calls waiting on this node (bounded)").register(registry);
        Gauge.builder("meridian.leader", () -> health().isLeader() ? 1 : 0)
                .description("1 when this node leads its region").register(registry);
        for (String reason : replicator.droppedFramesByReason().keySet()) {
            FunctionCounter.builder("meridian.frames.dropped", replicator,
                            r -> r.droppedFramesByReason().getOrDefault(reason, 0L))
                    .description("inbound cross-region frames rejected, by reason").tag("reason", reason)
                    .register(registry);
        }
        roles = new RoleMetrics(registry, replicator, this::health);
        ForwardingMetrics.register(registry, replicator);
        jvm = new JvmProcessMetrics(registry, dataDir);
        if (!replicator.crossRegionFaults().isEmpty()) {
            KNOWN_FAULTS.forEach(this::registerFault);
        }
        replicator.addRegionListener(this);
    }

    @Override
    public void close() {
        jvm.close();
    }

    /** Records one client write's latency (ns) as seen by the admin API. */
    public void recordApply(long nanos) {
        applyLatency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        Health h = health();
        noteLeader(h.leader());
        h.remotes().keySet().forEach(this::registerRemote);
        replicator.inboundLag().keySet().forEach(this::registerInbound);
        replicator.lagAnatomy().forEach(this::registerAnatomy);
        replicator.crossRegionFaults().keySet().forEach(this::registerFault);
        roles.onScrape();
        return registry.scrape();
    }

    @Override
    public void onLeaderStart(long term) {
        electionsWon.increment();
    }

    @Override
    public void onApplied(int entries, Position last) {
        commits.increment(entries);
        applyBatch.record(entries);
    }

    @Override
    public void onEpochStateChanged(long epoch, String primaryRegion) {
        // Leader changes are noticed here and at scrape time: cheap, and JRaft has no public hook for followers.
        noteLeader(replicator.health().leader());
    }

    private void noteLeader(String leader) {
        if (!leader.isEmpty() && !leader.equals(lastLeader)) {
            lastLeader = leader;
            leaderChanges.increment();
        }
    }

    /** One health snapshot per scrape rather than one per gauge. */
    private Health health() {
        long now = System.nanoTime();
        Health h = cached;
        if (h == null || now - cachedAtNanos > 100_000_000L) {
            h = replicator.health();
            cached = h;
            cachedAtNanos = now;
        }
        return h;
    }

    private void registerRemote(String remote) {
        if (!remotesRegistered.add(remote)) {
            return;
        }
        remoteGauge(remote, "meridian.remote.lag.entries", Health.RemoteStatus::lagEntries, null);
        remoteGauge(remote, "meridian.remote.shipped.index", Health.RemoteStatus::shippedIndex, null);
        remoteGauge(remote, "meridian.remote.acked.index", Health.RemoteStatus::ackedIndex, null);
        remoteGauge(remote, "meridian.remote.lag.ms", Health.RemoteStatus::lagMsP50, "0.5");
        remoteGauge(remote, "meridian.remote.lag.ms", Health.RemoteStatus::lagMsP99, "0.99");
        remoteGauge(remote, "meridian.remote.lag.ms", Health.RemoteStatus::lagMsP999, "0.999");
        remoteGauge(remote, "meridian.remote.lag.ms", Health.RemoteStatus::lagMsMax, "1.0");
        remoteCounter(remote, "meridian.remote.reconnects", Health.RemoteStatus::reconnects);
        remoteCounter(remote, "meridian.remote.shipped.batches", Health.RemoteStatus::batchesShipped);
        remoteCounter(remote, "meridian.remote.shipped.bytes", Health.RemoteStatus::bytesShipped);
        remoteCounter(remote, "meridian.remote.errors", Health.RemoteStatus::errors);
        remoteGauge(remote, "meridian.remote.halted", r -> "HALTED".equals(r.state()) ? 1 : 0, null);
    }

    /**
     * Faults the cross-region agent survived, by reason (registered when first seen: reasons are a
     * small fixed vocabulary); the outbox depth is a gauge, the rest are counters.
     */
    private void registerFault(String reason) {
        if (!faultsRegistered.add(reason)) {
            return;
        }
        if ("image_receiving_bytes".equals(reason)) {
            Gauge.builder("meridian.image.receiving.bytes", replicator,
                            r -> r.crossRegionFaults().getOrDefault(reason, 0L))
                    .description("bytes of the state image being received (streamed to disk, bounded)")
                    .register(registry);
            return;
        }
        if ("outbox_depth".equals(reason)) {
            Gauge.builder("meridian.xregion.outbox.depth", replicator,
                            r -> r.crossRegionFaults().getOrDefault(reason, 0L))
                    .description("messages waiting in the cross-region outbox (bounded)").register(registry);
            return;
        }
        FunctionCounter.builder("meridian.xregion.errors", replicator,
                        r -> r.crossRegionFaults().getOrDefault(reason, 0L))
                .description("faults the cross-region agent survived (caught, counted, retried), by reason")
                .tag("reason", reason).register(registry);
    }

    private void remoteGauge(String remote, String name, ToDoubleFunction<Health.RemoteStatus> f, String quantile) {
        Gauge.Builder<NodeMetrics> b = Gauge.builder(name, this, m -> m.remote(remote, f)).tag("remote", remote);
        if (quantile != null) {
            b.tag("quantile", quantile);
        }
        b.register(registry);
    }

    private void remoteCounter(String remote, String name, ToDoubleFunction<Health.RemoteStatus> f) {
        FunctionCounter.builder(name, this, m -> m.remote(remote, f)).tag("remote", remote).register(registry);
    }

    private double remote(String remote, ToDoubleFunction<Health.RemoteStatus> f) {
        Health.RemoteStatus s = health().remotes().get(remote);
        return s == null ? Double.NaN : f.applyAsDouble(s);
    }

    private final java.util.Set<String> anatomyRegistered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private void registerInbound(String origin) {
        if (!inboundRegistered.add(origin)) {
            return;
        }
        for (Map.Entry<String, ToDoubleFunction<InboundLagSnapshot>> q : Map.<String,
                ToDoubleFunction<InboundLagSnapshot>>of(
                "0.5", InboundLagSnapshot::p50Millis,
                "0.99", InboundLagSnapshot::p99Millis,
                "1.0", InboundLagSnapshot::maxMillis).entrySet()) {
            Gauge.builder("meridian.inbound.lag.ms", replicator, r -> {
                        var s = r.inboundLag().get(origin);
                        return s == null ? Double.NaN : q.getValue().applyAsDouble(s);
                    }).description("commit at origin to applied here, by origin region")
                    .tag("origin", origin).tag("quantile", q.getKey()).register(registry);
        }
    }

    /**
     * One gauge per origin region, stage and quantile (seconds, as Prometheus expects): where the
     * inbound lag goes (see {@link io.meridian.LagStageSnapshot}). Only a node that applied batches
     * as its region's leader has values.
     */
    private void registerAnatomy(String origin, java.util.List<io.meridian.LagStageSnapshot> stages) {
        for (io.meridian.LagStageSnapshot stage : stages) {
            if (!anatomyRegistered.add(origin + "/" + stage.stage())) {
                continue;
            }
            for (Map.Entry<String, ToDoubleFunction<io.meridian.LagStageSnapshot>> q : Map.<String,
                    ToDoubleFunction<io.meridian.LagStageSnapshot>>of(
                    "0.5", io.meridian.LagStageSnapshot::p50Micros,
                    "0.99", io.meridian.LagStageSnapshot::p99Micros,
                    "0.999", io.meridian.LagStageSnapshot::p999Micros,
                    "1.0", io.meridian.LagStageSnapshot::maxMicros).entrySet()) {
                Gauge.builder("meridian.lag.stage.seconds", replicator, r -> {
                            for (io.meridian.LagStageSnapshot s : r.lagAnatomy().getOrDefault(origin, java.util.List.of())) {
                                if (s.stage().equals(stage.stage())) {
                                    return q.getValue().applyAsDouble(s) / 1e6;
                                }
                            }
                            return Double.NaN;
                        }).description("replication lag by stage (origin, batching, network, remote_commit, apply, total)")
                        .tag("origin", origin).tag("stage", stage.stage()).tag("quantile", q.getKey()).register(registry);
            }
        }
    }
}
