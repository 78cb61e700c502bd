package io.meridian.raft;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of one region node, Aeron style: fluent setters, then {@link #conclude()} once to validate
 * and fill defaults. Endpoints are {@code host:port} strings.
 */
public final class RegionNodeConfig {

    private String region;
    private String nodeId;
    private String raftEndpoint;
    private List<String> peers = List.of();
    private String initialPrimary;
    private Path dataDir;
    private int electionTimeoutMs = 1000;
    private int snapshotIntervalSecs = 3600;
    private int snapshotLogIndexMargin = 0;
    private boolean fsync = true;
    private boolean join;
    private boolean concluded;

    public RegionNodeConfig region(String region) {
        this.region = region;
        return this;
    }

    public RegionNodeConfig nodeId(String nodeId) {
        this.nodeId = nodeId;
        return this;
    }

    public RegionNodeConfig raftEndpoint(String raftEndpoint) {
        this.raftEndpoint = raftEndpoint;
        return this;
    }

    /** Raft endpoints of every node of the region, this one included. */
    public RegionNodeConfig peers(List<String> peers) {
        this.peers = List.copyOf(peers);
        return this;
    }

    /** Primary region of epoch 1 (used only when the cluster state is brand new). */
    public RegionNodeConfig initialPrimary(String initialPrimary) {
        this.initialPrimary = initialPrimary;
        return this;
    }

    public RegionNodeConfig dataDir(Path dataDir) {
        this.dataDir = dataDir;
        return this;
    }

    public RegionNodeConfig electionTimeoutMs(int electionTimeoutMs) {
        this.electionTimeoutMs = electionTimeoutMs;
        return this;
    }

    public RegionNodeConfig snapshotIntervalSecs(int snapshotIntervalSecs) {
        this.snapshotIntervalSecs = snapshotIntervalSecs;
        return this;
    }

    /** Minimum number of entries since the last snapshot for a new one to be taken (JRaft semantics); 0 = always. */
    public RegionNodeConfig snapshotLogIndexMargin(int margin) {
        this.snapshotLogIndexMargin = margin;
        return this;
    }

    public RegionNodeConfig fsync(boolean fsync) {
        this.fsync = fsync;
        return this;
    }

    /**
     * This node joins a running region: it starts with an empty Raft configuration and waits for the
     * region's leader to add it (see {@link MemberChange}). Ignored once its Raft log holds a configuration.
     */
    public RegionNodeConfig join(boolean join) {
        this.join = join;
        return this;
    }

    /** Validates every field and creates the data directory. Call once. */
    public RegionNodeConfig conclude() {
        if (concluded) {
            throw new IllegalStateException("RegionNodeConfig already concluded");
        }
        requireName("region", region);
        requireName("nodeId", nodeId);
        Endpoints.parse("raftEndpoint", raftEndpoint);
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("peers: at least this node's own Raft endpoint is required");
        }
        List<String> normalised = new ArrayList<>();
        for (String p : peers) {
            normalised.add(Endpoints.parse("peers", p));
        }
        if (!normalised.contains(raftEndpoint)) {
            throw new IllegalArgumentException("peers " + peers + " must include this node's raftEndpoint " + raftEndpoint);
        }
        if (initialPrimary == null) {
            initialPrimary = region;
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir is required");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (Exception e) {
            throw new IllegalArgumentException("dataDir " + dataDir + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(dataDir)) {
            throw new IllegalArgumentException("dataDir " + dataDir + " is not writable");
        }
        if (electionTimeoutMs < 100) {
            throw new IllegalArgumentException("electionTimeoutMs must be >= 100: " + electionTimeoutMs);
        }
        if (snapshotIntervalSecs < 1) {
            throw new IllegalArgumentException("snapshotIntervalSecs must be >= 1: " + snapshotIntervalSecs);
        }
        concluded = true;
        return this;
    }

    private static void requireName(String field, String value) {
        if (value == null || value.isBlank() || !value.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException(field + " must be 1-64 characters of [A-Za-z0-9_.-], got: " + value);
        }
    }

    public String region() {
        return region;
    }

    public String nodeId() {
        return nodeId;
    }

    public String raftEndpoint() {
        return raftEndpoint;
    }

    public List<String> peers() {
        return peers;
    }

    public String initialPrimary() {
        return initialPrimary;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int electionTimeoutMs() {
        return electionTimeoutMs;
    }

    public int snapshotIntervalSecs() {
        return snapshotIntervalSecs;
    }

    public int snapshotLogIndexMargin() {
        return snapshotLogIndexMargin;
    }

    public boolean fsync() {
        return fsync;
    }

    public boolean join() {
        return join;
    }
}
