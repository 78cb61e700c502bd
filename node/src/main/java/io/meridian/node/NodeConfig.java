package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.CrossRegionSettings;
import io.meridian.ReplicatorContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The YAML form of one node's settings, as bound by {@link ConfigLoader}. Every leaf can be
 * overridden by an environment variable {@code MERIDIAN_<UPPER_SNAKE_PATH>}, e.g.
 * {@code crossRegion.leaseMs} by {@code MERIDIAN_CROSS_REGION_LEASE_MS}. Fields are public so that
 * Jackson binds them and the env-override walk can list them; {@link ConfigLoader} validates them.
 * The cluster secret, the admin token and the keystore password are deliberately absent: they
 * come from their own variables ({@code MERIDIAN_CLUSTER_SECRET}, {@code MERIDIAN_ADMIN_TOKEN},
 * {@code MERIDIAN_ADMIN_TLS_KEY_STORE_PASSWORD}) or from files, so they are never in a YAML file.
 */
public final class NodeConfig {

    /** {@code node} (a data node, the default) or {@code witness}. */
    public String role = "node";
    public String nodeId;
    /** Text form ({@code r0=n1@raft/aeron,...;r1=...}) or structured: {@code {primary, witness, regions: {r0: [{id, raft, aeron}]}}}. */
    public JsonNode topology;
    /** Primary region of epoch 1 when the topology is in text form (default: the first region). */
    public String primaryRegion;
    /** Aeron endpoint of the witness when the topology is in text form. */
    public String witnessEndpoint;
    public String dataDir;
    /** Admin HTTP port on 127.0.0.1; or give {@link #adminEndpoint}. */
    public Integer adminPort;
    /** Admin HTTP address {@code host:port} (overrides {@link #adminPort}). */
    public String adminEndpoint;
    /** Every node's admin address, so a node can point clients at its leader and ctl can find every node. */
    public Map<String, String> adminEndpoints = new LinkedHashMap<>();
    /** State machine class with a public no-argument constructor; the bundled KV store by default. */
    public String stateMachine = "io.meridian.kv.KvStateMachine";
    // Defaults are ReplicatorContext's, CrossRegionSettings' and WalRetentionSettings' (defined once there).
    public long electionTimeoutMs = ReplicatorContext.DEFAULT_ELECTION_TIMEOUT.toMillis();
    public long snapshotIntervalS = ReplicatorContext.DEFAULT_SNAPSHOT_INTERVAL.toSeconds();
    public boolean fsync = ReplicatorContext.DEFAULT_FSYNC;
    /**
     * This node joins a running region (see {@code ctl add-node}): it starts with no Raft configuration
     * and waits for the region's leader to add it. Its topology lists the whole cluster and itself.
     */
    public boolean join = false;
    public long applyTimeoutMs = ReplicatorContext.DEFAULT_APPLY_TIMEOUT.toMillis();
    /** Forward writes (and linearizable reads) this node cannot take to the primary's leader, unless a request says otherwise. */
    public boolean forwardWrites = false;
    public int maxPayloadBytes = ReplicatorContext.DEFAULT_MAX_PAYLOAD_BYTES;
    /** File holding the cluster secret (its first line); {@code MERIDIAN_CLUSTER_SECRET} wins over it. */
    public String clusterSecretFile;
    public AdminSettings admin = new AdminSettings();
    public Bind bind = new Bind();
    public CrossRegion crossRegion = new CrossRegion();
    public Wal wal = new Wal();
    public WitnessSettings witness = new WitnessSettings();

    /**
     * Where the node listens, when not where the topology says it is reached (a NAT or proxy address,
     * or one interface of several). Unset: the Raft server listens on every address at its topology
     * endpoint's port, Aeron on its topology endpoint. The admin API listens on {@link #adminEndpoint}
     * and is reached at {@link #adminEndpoints}.
     */
    public static final class Bind {
        /** {@code host:port} of the Raft RPC server, e.g. {@code 10.0.1.1:7001}. */
        public String raft;
        /** {@code host:port} of the Aeron subscription, e.g. {@code 0.0.0.0:8001}. */
        public String aeron;
    }

    /** Security of the admin HTTP API: its bearer token and optional TLS. */
    public static final class AdminSettings {
        /**
         * File holding the bearer token (its first line); {@code MERIDIAN_ADMIN_TOKEN} wins over it.
         * With neither, the node uses {@code <dataDir>/admin.token}, generating it on first start.
         */
        public String tokenFile;
        public AdminTlsSettings tls = new AdminTlsSettings();
    }

    /** HTTPS for the admin API; off unless {@link #keyStore} is set. */
    public static final class AdminTlsSettings {
        /** PKCS12 keystore with the server's private key and certificate chain. */
        public String keyStore;
        /** File holding the keystore password (first line); {@code MERIDIAN_ADMIN_TLS_KEY_STORE_PASSWORD} wins. */
        public String keyStorePasswordFile;
    }

    /** Shipping, lease and failover settings; see {@link io.meridian.CrossRegionSettings}. */
    public static final class CrossRegion {
        /** Primary lease (> 0). Its trade-off against promotion time is in docs/operations.md. */
        public long leaseMs = CrossRegionSettings.DEFAULT_LEASE.toMillis();
        public long leaseMarginMs = CrossRegionSettings.DEFAULT_LEASE_MARGIN.toMillis();
        /** UNSAFE: no lease and no promotion votes (split brain possible); see docs/operations.md. */
        public boolean unsafeNoFencing = false;
        public long ackTimeoutMs = CrossRegionSettings.DEFAULT_ACK_TIMEOUT.toMillis();
        public long handshakeTimeoutMs = CrossRegionSettings.DEFAULT_HANDSHAKE_TIMEOUT.toMillis();
        public long switchoverTimeoutMs = CrossRegionSettings.DEFAULT_SWITCHOVER_TIMEOUT.toMillis();
        public int maxBatchEntries = CrossRegionSettings.DEFAULT_MAX_BATCH_ENTRIES;
        public int maxBatchBytes = CrossRegionSettings.DEFAULT_MAX_BATCH_BYTES;
        public long lingerMs = CrossRegionSettings.DEFAULT_LINGER.toMillis();
        public int compressThresholdBytes = CrossRegionSettings.DEFAULT_COMPRESS_THRESHOLD_BYTES;
        public int maxInFlightBatches = CrossRegionSettings.DEFAULT_MAX_IN_FLIGHT_BATCHES;
        public int maxInFlightBytes = CrossRegionSettings.DEFAULT_MAX_IN_FLIGHT_BYTES;
        public long imageBytesPerSecond = CrossRegionSettings.DEFAULT_IMAGE_BYTES_PER_SECOND;
        /** Where a rejoining old primary exports its divergent tail (default dataDir/divergent). */
        public String divergentTailDir;
        /**
         * Aeron endpoint of a remote node (or the witness) to the address to send to instead, e.g. a
         * NAT or a WAN emulator's relay ({@code bin/sim --processes}); unlisted endpoints are used as is.
         */
        public Map<String, String> endpointMap = new LinkedHashMap<>();
    }

    /** WAL retention; see {@link io.meridian.WalRetentionSettings} and docs/operations.md. */
    public static final class Wal {
        /** Hard cap: past it the oldest segments go even if a lagging remote needs them (it is re-seeded). */
        public long maxBytes = io.meridian.WalRetentionSettings.DEFAULT_MAX_BYTES;
        /** Age cap in seconds; 0 = none. */
        public long maxAgeS = io.meridian.WalRetentionSettings.DEFAULT_MAX_AGE.toSeconds();
        /** Entries kept below the last one beyond what the snapshot covers (what a new leader may ship). */
        public long marginEntries = io.meridian.WalRetentionSettings.DEFAULT_MARGIN_ENTRIES;
        /** Segment length in seconds; one of 1, 300, 600, 1200, 1800, 3600, 7200, 14400, 21600, 86400, 604800. */
        public long rollPeriodS = io.meridian.WalRetentionSettings.DEFAULT_ROLL_PERIOD.toSeconds();
    }

    /** Settings used when {@link #role} is {@code witness}; it listens on the topology's witness endpoint. */
    public static final class WitnessSettings {
        /** Where the adopted epoch is persisted (default dataDir/witness.state). */
        public String stateFile;
    }
}
