package io.meridian.sim.scenario;

import io.meridian.Position;
import io.meridian.Replicator;
import io.meridian.sim.run.RunClock;
import io.meridian.sim.run.SimCluster;
import io.meridian.sim.run.SimConfig;
import io.meridian.sim.run.Workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * What a {@link Scenario} acts on (cluster, clock, workload) and what it reports back (switchover
 * time, promotions). Faults are timed from the start of the load. Outcome fields are written by the
 * scenario thread and read by the runner after it finished.
 */
public final class ScenarioContext {

    /** Bound on any single wait inside a scenario, so a stuck cluster fails the run instead of hanging it. */
    public static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private final SimCluster cluster;
    private final SimConfig config;
    private final RunClock clock;
    private final Workload workload;
    private final List<String> crashed = new ArrayList<>();
    private volatile String phase;
    private volatile Double switchoverMs;
    private volatile long cutMs = -1;
    private volatile String promotedRegion;
    private volatile long promotedEpoch;
    private volatile Map<String, Object> promotionRace;
    private final List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ScenarioContext(SimCluster cluster, SimConfig config, RunClock clock, Workload workload, String phase) {
        this.cluster = cluster;
        this.config = config;
        this.clock = clock;
        this.workload = workload;
        this.phase = phase;
    }

    public SimCluster cluster() {
        return cluster;
    }

    public SimConfig config() {
        return config;
    }

    public Workload workload() {
        return workload;
    }

    public void event(String text) {
        clock.event(text);
    }

    public String phase() {
        return phase;
    }

    public void phase(String phase) {
        this.phase = phase;
    }

    /** The run duration scaled by {@code fraction}: scenarios place their faults relative to it. */
    public Duration at(double fraction) {
        return Duration.ofMillis(Math.round(config.duration().toMillis() * fraction));
    }

    /** Sleeps until {@code offset} after the start of the load (returns at once if it has passed). */
    public void sleepUntil(Duration offset) throws InterruptedException {
        long waitMs = offset.toMillis() - clock.elapsedMs();
        if (waitMs > 0) {
            Thread.sleep(waitMs);
        }
    }

    /** Polls {@code condition} every 20 ms; throws naming {@code what} after {@code timeout}. */
    public void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + "s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Crashes {@code nodeId}, remembering it for {@link #restartCrashed}. */
    public void crash(String nodeId, String why) {
        event("crashing " + nodeId + why);
        cluster.crash(nodeId);
        synchronized (crashed) {
            crashed.add(nodeId);
        }
    }

    /** Crashes the current leader of {@code region}; returns its id. */
    public String crashLeader(String region) {
        Replicator leader = cluster.awaitLeader(region, STEP_TIMEOUT);
        String id = leader.nodeId();
        crash(id, " (leader of " + region + ")");
        return id;
    }

    public void restart(String nodeId) {
        event("restarting " + nodeId);
        cluster.restart(nodeId);
        synchronized (crashed) {
            crashed.remove(nodeId);
        }
    }

    /** Restarts the crashed nodes of {@code region} (every region when null). */
    public void restartCrashed(String region) {
        List<String> toRestart;
        synchronized (crashed) {
            toRestart = crashed.stream().filter(n -> region == null || n.startsWith(region + "-")).toList();
        }
        toRestart.forEach(this::restart);
    }

    public void isolate(String region) {
        event("isolating " + region + " from every other region");
        cutMs = clock.elapsedMs();
        cluster.isolate(region);
    }

    public void healAll() {
        event("healing every partition");
        cluster.healAll();
    }

    public Duration switchover(String target) throws Exception {
        event("switchover " + cluster.primaryRegion() + " -> " + target);
        Duration took = cluster.switchover(target, STEP_TIMEOUT);
        switchoverMs = (double) took.toMillis();
        event("switchover to " + target + " done in " + took.toMillis() + " ms");
        return took;
    }

    public Position promote(String region, boolean allowDataLoss) throws Exception {
        event("promoting " + region + (allowDataLoss ? " (allow data loss)" : ""));
        if (cutMs < 0) {
            cutMs = clock.elapsedMs();
        }
        Position start = cluster.promote(region, allowDataLoss, STEP_TIMEOUT);
        promotedRegion = region;
        promotedEpoch = start.epoch();
        event(region + " promoted: epoch " + start.epoch() + " starts at index " + start.index());
        return start;
    }

    /**
     * Starts an unplanned promotion of {@code region} without waiting for it (it takes at least a
     * lease): the scenario can act while the promotion waits out the old primary's lease. A success is
     * recorded like {@link #promote}'s.
     */
    public CompletableFuture<Position> startPromotion(String region, boolean allowDataLoss) {
        event("promoting " + region + (allowDataLoss ? " (allow data loss)" : "") + ", not waiting");
        if (cutMs < 0) {
            cutMs = clock.elapsedMs();
        }
        return cluster.awaitLeader(region, STEP_TIMEOUT).promote(allowDataLoss).thenApply(start -> {
            promotedRegion = region;
            promotedEpoch = start.epoch();
            event(region + " promoted: epoch " + start.epoch() + " starts at index " + start.index());
            return start;
        });
    }

    /** Pauses every apply in {@code region} by {@code perApply} (zero ends it); see SimCluster#slowApplies. */
    public void slowApplies(String region, Duration perApply) {
        event(perApply.isZero() ? "applies in " + region + " back to normal"
                : "slowing every apply in " + region + " by " + perApply.toMillis() + " ms");
        cluster.slowApplies(region, perApply);
    }

    /** Records the outcome of racing promotions for the report (keys are report.json's). */
    public void promotionRace(Map<String, Object> race) {
        promotionRace = race;
    }

    public Map<String, Object> promotionRace() {
        return promotionRace;
    }

    /**
     * Reports a failed expectation as a SCENARIO_ERROR violation without stopping the scenario, so
     * the rest of the run (heal, convergence, checks) still happens and is judged.
     */
    public void problem(String text) {
        event("PROBLEM: " + text);
        problems.add("SCENARIO_ERROR: " + text);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    public long elapsedMs() {
        return clock.elapsedMs();
    }

    public Double switchoverMs() {
        return switchoverMs;
    }

    /** True once a region was promoted: acknowledged writes may then be lost (and must be reported). */
    public boolean promoted() {
        return promotedRegion != null;
    }

    public String promotedRegion() {
        return promotedRegion;
    }

    public long promotedEpoch() {
        return promotedEpoch;
    }

    /** When the primary was cut off (or the promotion began, without a cut), -1 before. */
    public long cutMs() {
        return cutMs;
    }
}
