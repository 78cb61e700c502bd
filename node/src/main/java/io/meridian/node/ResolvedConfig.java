package io.meridian.node;

import io.meridian.ClusterTopology;
import io.meridian.CrossRegionSettings;
import io.meridian.WalRetentionSettings;
import io.meridian.ReplicatorContext;
import io.meridian.StateMachine;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A validated configuration: the bound YAML plus what was derived from it.
 *
 * @param raw            the bound settings (after environment overrides)
 * @param topology       the parsed cluster topology, primary and witness included
 * @param secret         the cluster secret, or null for a single-region cluster without one
 * @param admin          where this node's admin HTTP server listens
 * @param adminEndpoints every node's admin address ({@code host:port}) known from the configuration
 * @param adminToken     the admin API's bearer token, or null when none is configured (the node then
 *                       uses {@code <dataDir>/admin.token}, see {@link AdminToken#forNode})
 * @param adminTls       the admin API's TLS context, or null for plain HTTP
 */
public record ResolvedConfig(NodeConfig raw, ClusterTopology topology, byte[] secret, InetSocketAddress admin,
                             Map<String, String> adminEndpoints, AdminToken adminToken, SSLContext adminTls) {

    public boolean isWitness() {
        return "witness".equals(raw.role);
    }

    public String nodeId() {
        return raw.nodeId;
    }

    public Path dataDir() {
        return Path.of(raw.dataDir);
    }

    /** Where to send to reach a remote Aeron endpoint: {@code crossRegion.endpointMap}, else itself. */
    public java.util.function.Function<String, String> endpointMapper() {
        Map<String, String> map = Map.copyOf(raw.crossRegion.endpointMap);
        return endpoint -> map.getOrDefault(endpoint, endpoint);
    }

    /** A context for {@link io.meridian.Replicator#start}, not yet concluded. */
    public ReplicatorContext toContext(StateMachine machine) {
        NodeConfig.CrossRegion x = raw.crossRegion;
        CrossRegionSettings cross = new CrossRegionSettings()
                .lease(Duration.ofMillis(x.leaseMs))
                .unsafeNoFencing(x.unsafeNoFencing)
                .leaseMargin(Duration.ofMillis(x.leaseMarginMs))
                .ackTimeout(Duration.ofMillis(x.ackTimeoutMs))
                .handshakeTimeout(Duration.ofMillis(x.handshakeTimeoutMs))
                .switchoverTimeout(Duration.ofMillis(x.switchoverTimeoutMs))
                .maxBatchEntries(x.maxBatchEntries)
                .maxBatchBytes(x.maxBatchBytes)
                .linger(Duration.ofMillis(x.lingerMs))
                .compressThresholdBytes(x.compressThresholdBytes)
                .maxInFlightBatches(x.maxInFlightBatches)
                .maxInFlightBytes(x.maxInFlightBytes)
                .imageBytesPerSecond(x.imageBytesPerSecond)
                .divergentTailDir(x.divergentTailDir);
        if (!x.endpointMap.isEmpty()) {
            cross.endpointMapper(endpointMapper());
        }
        return new ReplicatorContext()
                .nodeId(raw.nodeId)
                .topology(topology)
                .dataDir(dataDir())
                .stateMachine(machine)
                .electionTimeout(Duration.ofMillis(raw.electionTimeoutMs))
                .snapshotInterval(Duration.ofSeconds(raw.snapshotIntervalS))
                .fsync(raw.fsync)
                .join(raw.join)
                .applyTimeout(Duration.ofMillis(raw.applyTimeoutMs))
                .forwardWrites(raw.forwardWrites)
                .maxPayloadBytes(raw.maxPayloadBytes)
                .clusterSecret(secret)
                .raftBindEndpoint(blank(raw.bind.raft) ? null : raw.bind.raft)
                .aeronBindEndpoint(blank(raw.bind.aeron) ? null : raw.bind.aeron)
                .crossRegion(cross)
                .walRetention(new WalRetentionSettings()
                        .maxBytes(raw.wal.maxBytes)
                        .maxAge(Duration.ofSeconds(raw.wal.maxAgeS))
                        .marginEntries(raw.wal.marginEntries)
                        .rollPeriod(Duration.ofSeconds(raw.wal.rollPeriodS)));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
