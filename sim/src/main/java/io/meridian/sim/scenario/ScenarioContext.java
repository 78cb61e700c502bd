package io.meridian.sim.scenario;

import io.meridian.Position;
import io.meridian.sim.run.RunClock;
import io.meridian.sim.run.Cluster;
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

    private final Cluster cluster;
    private final SimConfig config;
    private final RunClock clock;
    private final Workload workload;
    private final List<String> crashed = new ArrayList<>();
    private final List<String> paused = new ArrayList<>();
    private volatile Map<String, Object> nemesis;
    private volatile String phase;
    private volatile Double switchoverMs;
    private volatile long cutMs = -1;
    private volatile String promotedRegion;
    private volatile long promotedEpoch;
    private volatile Map<String, Object> promotionRace;
    private final List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ScenarioContext(Cluster cluster, SimConfig config, RunClock clock, Workload workload, String phase) {
        this.cluster = cluster;
        this.config = config;
        this.clock = clock;
        this.workload = workload;
        this.phase = phase;
    }

    public Cluster cluster() {
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
        String id = cluster.awaitLeader(region, STEP_TIMEOUT).nodeId();
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

    /**
     * Freezes {@code nodeId} (SIGSTOP) if the cluster can; returns false (and records nothing)
     * when it cannot, e.g. in-JVM.
     */
    public boolean pause(String nodeId, String why) {
        if (!cluster.isRunning(nodeId)) {
            return false;
        }
        event("pausing " + nodeId + why);
        if (!cluster.pause(nodeId)) {
            event("cannot pause " + nodeId + " in this cluster: skipped");
            return false;
        }
        synchronized (paused) {
            paused.add(nodeId);
        }
        return true;
    }

    public void resume(String nodeId) {
        event("resuming " + nodeId);
        cluster.resume(nodeId);
        synchronized (paused) {
            paused.remove(nodeId);
        }
    }

    /** Resumes every paused node and restarts every crashed one (end of a scenario, end of a run). */
    public void recoverAll() {
        List<String> toResume;
        synchronized (paused) {
            toResume = List.copyOf(paused);
        }
        toResume.forEach(this::resume);
        restartCrashed(null);
    }

    private volatile io.meridian.sim.report.SweepCurve sweep;

    /** Records the sweep scenario's steps for the report. */
    public void sweep(io.meridian.sim.report.SweepCurve result) {
        sweep = result;
    }

    public io.meridian.sim.report.SweepCurve sweep() {
        return sweep;
    }

    public RunClock clock() {
        return clock;
    }

    /** Records the nemesis schedule and its outcome for the report. */
    public void nemesis(Map<String, Object> json) {
        nemesis = json;
    }

    public Map<String, Object> nemesis() {
        return nemesis;
    }

    /** Cuts one node's cross-region traffic (see Cluster#cutNode); healed by {@link #healAll}. */
    public void cutNode(String nodeId) {
        event("cutting " + nodeId + " off the WAN");
        cluster.cutNode(nodeId);
    }

    /** Whether {@code nodeId} was crashed by this scenario and not restarted yet. */
    public boolean isCrashed(String nodeId) {
        synchronized (crashed) {
            return crashed.contains(nodeId);
        }
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
        return switchover(target, STEP_TIMEOUT);
    }

    public Duration switchover(String target, Duration timeout) throws Exception {
        event("switchover " + cluster.primaryRegion() + " -> " + target);
        Duration took = cluster.switchover(target, timeout);
        switchoverMs = (double) took.toMillis();
        event("switchover to " + target + " done in " + took.toMillis() + " ms");
        return took;
    }

    public Position promote(String region, boolean allowDataLoss) throws Exception {
        return promote(region, allowDataLoss, STEP_TIMEOUT);
    }

    public Position promote(String region, boolean allowDataLoss, Duration timeout) throws Exception {
        event("promoting " + region + (allowDataLoss ? " (allow data loss)" : ""));
        if (cutMs < 0) {
            cutMs = clock.elapsedMs();
        }
        Position start = cluster.promote(region, allowDataLoss, timeout);
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
        return cluster.startPromotion(region, allowDataLoss).thenApply(start -> {
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
