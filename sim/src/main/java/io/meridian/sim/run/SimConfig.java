package io.meridian.sim.run;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one simulator run, from the command line or a test. Fluent setters; {@link #validate()}
 * names the first bad option. Not thread-safe: build it before the run starts.
 */
public final class SimConfig {

    public static final int DEFAULT_KEY_SPACE = 1_000;
    /** Largest --payload: the node's payload limit (1 MiB by default) is raised to fit key and header. */
    public static final int MAX_PAYLOAD_BYTES = io.meridian.ReplicatorContext.DEFAULT_MAX_PAYLOAD_BYTES;
    // Every node holds the whole KV state in memory: with the default key space, large values would
    // need gigabytes per node, so the default key space keeps each node's state near 64 MiB.
    private static final long STATE_BUDGET_BYTES = 64L * 1024 * 1024;

    private int regions = 3;
    private int nodesPerRegion = 3;
    private Duration duration = Duration.ofSeconds(30);
    private double rate = 1000;
    private int clients = 16;
    private int payloadBytes = 64;
    /** 0: {@link #DEFAULT_KEY_SPACE}, shrunk for large payloads (see {@link #keySpace()}). */
    private int keySpace;
    private boolean incompressible;
    private double readRatio = 0.3;
    private Duration wanDelay = Duration.ofMillis(20);
    private Duration jitter = Duration.ofMillis(2);
    private double loss;
    private long bandwidthBytesPerSecond;
    private long seed = 1;
    private Path reportDir = Path.of("sim-report");
    /** Off by default: nine nodes fsyncing on two shared cores would measure the disk, not Meridian. */
    private boolean fsync;
    private Duration lease = io.meridian.CrossRegionSettings.DEFAULT_LEASE;
    private Duration linger = io.meridian.CrossRegionSettings.DEFAULT_LINGER;
    private boolean keepData;
    private boolean quiet;
    private Duration warmup = Duration.ZERO;
    private boolean processes;

    public SimConfig regions(int v) {
        regions = v;
        return this;
    }

    public SimConfig nodesPerRegion(int v) {
        nodesPerRegion = v;
        return this;
    }

    public SimConfig duration(Duration v) {
        duration = v;
        return this;
    }

    /** Target ops/s, open loop; 0 runs closed loop with {@link #clients} writes in flight. */
    public SimConfig rate(double v) {
        rate = v;
        return this;
    }

    public SimConfig clients(int v) {
        clients = v;
        return this;
    }

    public SimConfig payloadBytes(int v) {
        payloadBytes = v;
        return this;
    }

    /** Values filled from the seeded RNG (LZ4 cannot shrink them) instead of compressible text. */
    public SimConfig incompressible(boolean v) {
        incompressible = v;
        return this;
    }

    public boolean incompressible() {
        return incompressible;
    }

    public SimConfig keySpace(int v) {
        keySpace = v;
        return this;
    }

    /** Share of operations that are reads (half linearizable on primaries, half stale on secondaries). */
    public SimConfig readRatio(double v) {
        readRatio = v;
        return this;
    }

    public SimConfig wanDelay(Duration v) {
        wanDelay = v;
        return this;
    }

    public SimConfig jitter(Duration v) {
        jitter = v;
        return this;
    }

    public SimConfig loss(double v) {
        loss = v;
        return this;
    }

    public SimConfig bandwidthBytesPerSecond(long v) {
        bandwidthBytesPerSecond = v;
        return this;
    }

    public SimConfig seed(long v) {
        seed = v;
        return this;
    }

    public SimConfig reportDir(Path v) {
        reportDir = v;
        return this;
    }

    public SimConfig fsync(boolean v) {
        fsync = v;
        return this;
    }

    /** The shippers' batch linger (a throughput/lag knob, see CrossRegionSettings#linger). */
    public SimConfig linger(Duration v) {
        linger = v;
        return this;
    }

    public Duration linger() {
        return linger;
    }

    /** The primary lease every run uses (fencing is always on, as it is by default). */
    public SimConfig lease(Duration v) {
        lease = v;
        return this;
    }

    public SimConfig keepData(boolean v) {
        keepData = v;
        return this;
    }

    /** No per-second progress lines (tests). */
    /** Run every node as its own OS process (crash = SIGKILL, pause = SIGSTOP) instead of in this JVM. */
    public SimConfig processes(boolean v) {
        processes = v;
        return this;
    }

    public boolean processes() {
        return processes;
    }

    /**
     * Load on a throwaway cluster in this JVM before the measured one starts (0 = none): the JIT
     * compiles the write, ship and apply paths there, so the run measures replication rather than a
     * cold JVM. Nothing of it reaches the measured cluster or its report.
     */
    public SimConfig warmup(Duration v) {
        warmup = v;
        return this;
    }

    public Duration warmup() {
        return warmup;
    }

    public SimConfig quiet(boolean v) {
        quiet = v;
        return this;
    }

    /** Throws IllegalArgumentException naming the CLI option at fault. */
    public SimConfig validate() {
        require(regions >= 2 && regions <= 9, "--regions must be 2..9: " + regions);
        require(nodesPerRegion >= 1 && nodesPerRegion <= 7, "--nodes-per-region must be 1..7: " + nodesPerRegion);
        require(!duration.isNegative() && duration.toMillis() >= 1000, "--duration must be at least 1s: " + duration);
        require(rate >= 0, "--rate must be >= 0: " + rate);
        require(!warmup.isNegative() && warmup.toSeconds() <= 60, "--warmup must be within 0..60s: " + warmup);
        require(clients >= 1 && clients <= 10_000, "--clients must be 1..10000: " + clients);
        require(payloadBytes >= 16 && payloadBytes <= MAX_PAYLOAD_BYTES,
                "--payload must be 16.." + MAX_PAYLOAD_BYTES + " bytes: " + payloadBytes);
        require(keySpace >= 0, "--key-space must be >= 1: " + keySpace);
        require(readRatio >= 0 && readRatio < 1, "--read-ratio must be in [0, 1): " + readRatio);
        require(!wanDelay.isNegative(), "--wan-delay must be >= 0: " + wanDelay);
        require(!jitter.isNegative(), "--jitter must be >= 0: " + jitter);
        require(loss >= 0 && loss < 1, "--loss must be in [0, 1): " + loss);
        require(bandwidthBytesPerSecond >= 0, "--bandwidth must be >= 0: " + bandwidthBytesPerSecond);
        require(!lease.isNegative() && !lease.isZero(), "--lease must be > 0: " + lease);
        require(!linger.isNegative() && linger.toMillis() <= 1000, "--linger must be within 0..1s: " + linger);
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public int regions() {
        return regions;
    }

    public int nodesPerRegion() {
        return nodesPerRegion;
    }

    public Duration duration() {
        return duration;
    }

    public double rate() {
        return rate;
    }

    public int clients() {
        return clients;
    }

    public int payloadBytes() {
        return payloadBytes;
    }

    /** The key space given, or by default 10000 keys capped so a node's state stays near 64 MiB. */
    public int keySpace() {
        if (keySpace > 0) {
            return keySpace;
        }
        return (int) Math.max(1, Math.min(DEFAULT_KEY_SPACE, STATE_BUDGET_BYTES / payloadBytes));
    }

    public double readRatio() {
        return readRatio;
    }

    public Duration wanDelay() {
        return wanDelay;
    }

    public Duration jitter() {
        return jitter;
    }

    public double loss() {
        return loss;
    }

    public long bandwidthBytesPerSecond() {
        return bandwidthBytesPerSecond;
    }

    public long seed() {
        return seed;
    }

    public Path reportDir() {
        return reportDir;
    }

    public boolean fsync() {
        return fsync;
    }

    public Duration lease() {
        return lease;
    }

    public boolean keepData() {
        return keepData;
    }

    public boolean quiet() {
        return quiet;
    }
}
