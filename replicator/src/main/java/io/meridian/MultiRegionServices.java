package io.meridian;

import io.meridian.transport.AeronTransport;
import io.meridian.transport.ClusterSecret;
import io.meridian.xregion.CrossRegionAgent;
import io.meridian.xregion.LagTracker;
import io.meridian.xregion.ShipperStatus;
import io.meridian.xregion.ShippingConfig;
import org.agrona.concurrent.AgentRunner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cross-region shipping, receiving and failover of one node: its Aeron transport, the
 * {@link CrossRegionAgent} on its own thread, and the {@link FailoverCoordinator}.
 */
final class MultiRegionServices implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MultiRegionServices.class);

    private final AeronTransport transport;
    private final CrossRegionAgent agent;
    private final FailoverCoordinator coordinator;
    private final WriteForwarder forwarder;
    private AgentRunner runner;

    private MultiRegionServices(AeronTransport transport, CrossRegionAgent agent, FailoverCoordinator coordinator,
                                WriteForwarder forwarder) {
        this.transport = transport;
        this.agent = agent;
        this.coordinator = coordinator;
        this.forwarder = forwarder;
    }

    static MultiRegionServices create(ReplicatorContext ctx, NodeRuntime runtime) {
        ClusterTopology topology = ctx.topology();
        CrossRegionSettings settings = ctx.crossRegion();
        // The term is sized by ShippingConfig so the largest admitted entry fits one frame.
        AeronTransport transport = AeronTransport.launch(new AeronTransport.Context()
                .termLength(ctx.shipping().termLength())
                .endpoint(ctx.self().aeronEndpoint())
                .bindEndpoint(ctx.aeronBindEndpoint())
                .regionId(ctx.region())
                .nodeId(ctx.nodeId())
                .secret(ClusterSecret.of(ctx.clusterSecret())));
        try {
            FailoverCoordinator coordinator = new FailoverCoordinator(runtime);
            RegionAdapter adapter = new RegionAdapter(runtime, coordinator::onHigherEpoch);
            Map<String, List<String>> remotes = new LinkedHashMap<>();
            for (String region : topology.regionNames()) {
                if (!region.equals(ctx.region())) {
                    remotes.put(region, topology.nodes(region).stream().map(ClusterTopology.NodeSpec::aeronEndpoint).toList());
                }
            }
            ShippingConfig shipping = ctx.shipping();
            WriteForwarder forwarder = new WriteForwarder(ctx, runtime.writes(), runtime.primaryLeaders());
            CrossRegionAgent agent = new CrossRegionAgent(adapter, transport, remotes, shipping,
                    settings.endpointMapper(), new ForwardingDispatch(coordinator, forwarder, runtime.primaryLeaders(),
                    ctx.region()));
            // Shippers follow the live membership of each remote region (nodes added or removed later).
            agent.remoteEndpoints(() -> runtime.memberTable().voterAeronEndpoints());
            coordinator.bind(agent);
            forwarder.bind(agent);
            runtime.admission(coordinator.gate());
            if (settings.unsafeNoFencing()) {
                LOG.warn("UNSAFE: fencing is off (unsafeNoFencing): no primary lease and no promotion votes; a "
                        + "partitioned old primary keeps accepting writes that a promotion will discard");
            }
            runtime.failover(coordinator);
            runtime.events().add(coordinator);
            runtime.events().add(new io.meridian.raft.RegionListener() {
                @Override
                public void onApplied(List<io.meridian.wal.WalEntry> entries, io.meridian.raft.ClusterState state) {
                    if (agent.leads()) {
                        agent.wake(); // only a leader's shippers read the WAL; a follower's need no wake-up
                    }
                }
            });
            return new MultiRegionServices(transport, agent, coordinator, forwarder);
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    void start() {
        // Parks up to 100 µs when idle while this node leads its region (the data path), 1 ms otherwise
        // (AgentIdle); woken at once when an entry is applied or a reply queued.
        runner = new AgentRunner(io.meridian.transport.AgentIdle.strategy(agent::leads),
                e -> agent.faults().record(io.meridian.xregion.FaultLog.DISPATCH, "cross-region agent", e,
                        System.nanoTime()), null, agent);
        AgentRunner.startOnThread(runner);
    }

    boolean isFenced() {
        return coordinator.isFencedOrLeaseless();
    }

    WriteForwarder forwarder() {
        return forwarder;
    }

    FailoverCoordinator coordinator() {
        return coordinator;
    }

    Map<String, Health.RemoteStatus> remoteStatus() {
        Map<String, Health.RemoteStatus> out = new LinkedHashMap<>();
        for (ShipperStatus s : agent.shipperStatus()) {
            LagTracker.Snapshot lag = s.lag();
            out.put(s.remoteRegion(), new Health.RemoteStatus(s.remoteRegion(), s.state(), s.shippedIndex(),
                    s.ackedIndex(), s.lagEntries(), lag.p50Millis(), lag.p99Millis(), lag.p999Millis(), lag.maxMillis(),
                    lag.bytesShipped(), lag.batchesShipped(), s.reconnects(), s.inFlightBatches(), s.inFlightBytes(),
                    s.errors(), s.lastError()));
        }
        return out;
    }

    Map<String, InboundLagSnapshot> inboundLag() {
        Map<String, InboundLagSnapshot> out = new LinkedHashMap<>();
        coordinator.lag().perOrigin().forEach((region, tracker) -> {
            LagTracker.Snapshot s = tracker.snapshot();
            out.put(region, new InboundLagSnapshot(region, s.count(), s.p50Millis(), s.p99Millis(), s.p999Millis(),
                    s.maxMillis()));
        });
        return out;
    }

    Map<String, java.util.List<LagStageSnapshot>> lagAnatomy() {
        Map<String, java.util.List<LagStageSnapshot>> out = new LinkedHashMap<>();
        agent.lagAnatomy().forEach((region, anatomy) -> {
            java.util.List<LagStageSnapshot> stages = new java.util.ArrayList<>();
            anatomy.snapshot().forEach((stage, s) -> stages.add(new LagStageSnapshot(stage.label(), s.count(),
                    s.p50Micros(), s.p90Micros(), s.p99Micros(), s.p999Micros(), s.maxMicros())));
            out.put(region, java.util.List.copyOf(stages));
        });
        return out;
    }

    /** Faults the cross-region agent survived, by reason; plus the outbox depth and transport rebuilds. */
    Map<String, Long> faultCounts() {
        Map<String, Long> out = new LinkedHashMap<>(agent.faultCounts());
        out.put("transport_rebuilds", transport.generation());
        out.put("image_too_large", coordinator.images().imagesTooLarge());
        out.put("image_receiving_bytes", coordinator.images().receivingBytes());
        return out;
    }

    int outboxDepth() {
        return agent.outboxDepth();
    }

    long droppedFrames() {
        return transport.dropCounters().total();
    }

    AeronTransport transport() {
        return transport;
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.close();
        }
        coordinator.images().close();
        transport.close();
    }
}
