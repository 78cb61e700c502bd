package io.meridian.sim.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.meridian.Health;
import org.HdrHistogram.AbstractHistogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a simulator run reports; serialised as report.json with the snake_case keys of the
 * contract. Filled in by the scenario runner with the fluent setters, then handed to
 * {@link ReportWriter}. Not thread-safe: build it on one thread at the end of the run.
 */
public final class RunReport {

    @JsonProperty("scenario") private String scenario;
    @JsonProperty("seed") private long seed;
    @JsonProperty("regions") private List<String> regions = new ArrayList<>();
    @JsonProperty("primary_region_final") private String primaryRegionFinal;
    @JsonProperty("writes_attempted") private long writesAttempted;
    @JsonProperty("writes_acked") private long writesAcked;
    @JsonProperty("throughput_ops_per_s") private double throughputOpsPerSecond;
    @JsonProperty("lag_ms") private Map<String, Lag> lagMs = new LinkedHashMap<>();
    /** Per remote region, per stage (see {@code LagStageSnapshot}): where the lag goes, in µs. */
    @JsonProperty("lag_anatomy_us") private Map<String, Map<String, StageLag>> lagAnatomyUs = new LinkedHashMap<>();
    @JsonProperty("failover") private Failover failover;
    @JsonProperty("switchover_ms") private Double switchoverMs;
    @JsonProperty("lost_acked_writes") private long lostAckedWrites;
    @JsonProperty("fenced_writes_accepted") private long fencedWritesAccepted;
    @JsonProperty("converged") private boolean converged;
    @JsonProperty("digests") private Map<String, String> digests = new LinkedHashMap<>();
    @JsonProperty("violations") private List<String> violations = new ArrayList<>();
    @JsonProperty("linearizability") private Map<String, Object> linearizability;
    @JsonProperty("secondary_reads") private Map<String, Object> secondaryReads;
    @JsonProperty("primary_acks") private Map<String, Object> primaryAcks;
    @JsonProperty("promotion_race") private Map<String, Object> promotionRace;
    /** The machine the run shared: cores, JVM, 1-minute load average at the start and end of the load. */
    @JsonProperty("machine") private Map<String, Object> machine = new LinkedHashMap<>();
    /** Per secondary region: its applied index / the primary's when the load stopped (remote apply keeping up). */
    @JsonProperty("apply_ratio") private Map<String, Double> applyRatio = new LinkedHashMap<>();
    /** The sweep scenario's throughput–lag curve; null otherwise. */
    @JsonProperty("sweep") private SweepCurve sweep;
    /** The nemesis scenario's seeded schedule and what became of each step; null otherwise. */
    @JsonProperty("nemesis") private Map<String, Object> nemesis;
    @JsonProperty("duration_s") private double durationSeconds;
    @JsonProperty("config") private Config config;
    @JsonProperty("write_latency_ms") private Latency writeLatencyMs;
    @JsonProperty("timeline") private List<TimelineEvent> timeline = new ArrayList<>();
    @JsonProperty("series") private List<SeriesPoint> series = new ArrayList<>();

    /** Replication lag towards one remote region, in milliseconds. */
    public record Lag(@JsonProperty("p50") double p50, @JsonProperty("p99") double p99,
                      @JsonProperty("p999") double p999, @JsonProperty("max") double max) {

        /** From a histogram recorded in some unit, {@code unitsPerMs} of which make a millisecond. */
        public static Lag of(AbstractHistogram h, double unitsPerMs) {
            return new Lag(h.getValueAtPercentile(50) / unitsPerMs, h.getValueAtPercentile(99) / unitsPerMs,
                    h.getValueAtPercentile(99.9) / unitsPerMs, h.getMaxValue() / unitsPerMs);
        }

        /** As a shipping leader's health reports it. */
        public static Lag of(Health.RemoteStatus status) {
            return new Lag(status.lagMsP50(), status.lagMsP99(), status.lagMsP999(), status.lagMsMax());
        }
    }

    public RunReport machine(Map<String, Object> facts) {
        this.machine = new LinkedHashMap<>(facts);
        return this;
    }

    public Map<String, Object> machine() {
        return machine;
    }

    public RunReport applyRatio(Map<String, Double> ratios) {
        this.applyRatio = new LinkedHashMap<>(ratios);
        return this;
    }

    public Map<String, Double> applyRatio() {
        return applyRatio;
    }

    public RunReport sweep(SweepCurve sweep) {
        this.sweep = sweep;
        return this;
    }

    public SweepCurve sweep() {
        return sweep;
    }

    /** One stage of the lag anatomy, in microseconds (one sample per applied batch). */
    public record StageLag(@JsonProperty("count") long count, @JsonProperty("p50") double p50Us,
                           @JsonProperty("p90") double p90Us, @JsonProperty("p99") double p99Us,
                           @JsonProperty("p999") double p999Us, @JsonProperty("max") double maxUs) { }

    /** Client-observed write latency, in milliseconds. */
    public record Latency(@JsonProperty("p50") double p50, @JsonProperty("p90") double p90,
                          @JsonProperty("p99") double p99, @JsonProperty("p999") double p999,
                          @JsonProperty("max") double max) {

        /** From a histogram recorded in some unit, {@code unitsPerMs} of which make a millisecond. */
        public static Latency of(AbstractHistogram h, double unitsPerMs) {
            return new Latency(h.getValueAtPercentile(50) / unitsPerMs, h.getValueAtPercentile(90) / unitsPerMs,
                    h.getValueAtPercentile(99) / unitsPerMs, h.getValueAtPercentile(99.9) / unitsPerMs,
                    h.getMaxValue() / unitsPerMs);
        }
    }

    /**
     * An unplanned promotion.
     *
     * @param rtoMs                    primary lost to first write acknowledged by the new primary
     * @param rpoEntries               acknowledged writes lost
     * @param reportedDivergentEntries data entries the old primary exported as its divergent tail
     * @param unackedDivergentEntries  of those, writes the client never saw acknowledged (its outcome
     *                                 was unknown, e.g. the old primary's leader stepped down after
     *                                 appending); a passing run has rpo + unacked == reported.
     *                                 Not in report.json (the contract's keys are fixed): the
     *                                 timeline and the summary carry it
     */
    public record Failover(@JsonProperty("rto_ms") double rtoMs, @JsonProperty("rpo_entries") long rpoEntries,
                           @JsonProperty("reported_divergent_entries") long reportedDivergentEntries,
                           @JsonIgnore long unackedDivergentEntries) {

        public Failover(double rtoMs, long rpoEntries, long reportedDivergentEntries) {
            this(rtoMs, rpoEntries, reportedDivergentEntries, 0);
        }
    }

    /** The run's settings, echoed so a report stands on its own. */
    public record Config(@JsonProperty("nodes_per_region") int nodesPerRegion,
                         @JsonProperty("rate_ops_per_s") double rateOpsPerSecond,
                         @JsonProperty("payload_bytes") int payloadBytes,
                         @JsonProperty("wan_delay_ms") double wanDelayMs,
                         @JsonProperty("wan_jitter_ms") double wanJitterMs,
                         @JsonProperty("wan_loss") double wanLoss) { }

    /** Something that happened at {@code tMs} since the run started (fault injected, promotion, ...). */
    public record TimelineEvent(@JsonProperty("t_ms") long tMs, @JsonProperty("event") String event) { }

    /** One sample of the run's time series; {@code lagMs} maps remote region to lag. */
    public record SeriesPoint(@JsonProperty("t_ms") long tMs, @JsonProperty("ops_per_s") double opsPerSecond,
                              @JsonProperty("lag_ms") Map<String, Double> lagMs) { }

    public RunReport scenario(String scenario) {
        this.scenario = scenario;
        return this;
    }

    public RunReport seed(long seed) {
        this.seed = seed;
        return this;
    }

    public RunReport regions(List<String> regions) {
        this.regions = new ArrayList<>(regions);
        return this;
    }

    public RunReport primaryRegionFinal(String region) {
        this.primaryRegionFinal = region;
        return this;
    }

    public RunReport writes(long attempted, long acked) {
        this.writesAttempted = attempted;
        this.writesAcked = acked;
        return this;
    }

    public RunReport throughputOpsPerSecond(double opsPerSecond) {
        this.throughputOpsPerSecond = opsPerSecond;
        return this;
    }

    public RunReport lag(String remoteRegion, Lag lag) {
        this.lagMs.put(remoteRegion, lag);
        return this;
    }

    public RunReport lagAnatomy(String remoteRegion, Map<String, StageLag> stages) {
        if (!stages.isEmpty()) {
            this.lagAnatomyUs.put(remoteRegion, stages);
        }
        return this;
    }

    public Map<String, Map<String, StageLag>> lagAnatomyUs() {
        return lagAnatomyUs;
    }

    /** Null when the run had no unplanned promotion. */
    public RunReport failover(Failover failover) {
        this.failover = failover;
        return this;
    }

    /** Null when the run had no planned switchover. */
    public RunReport switchoverMs(Double switchoverMs) {
        this.switchoverMs = switchoverMs;
        return this;
    }

    public RunReport lostAckedWrites(long count) {
        this.lostAckedWrites = count;
        return this;
    }

    public RunReport fencedWritesAccepted(long count) {
        this.fencedWritesAccepted = count;
        return this;
    }

    public RunReport converged(boolean converged) {
        this.converged = converged;
        return this;
    }

    public RunReport digests(Map<String, String> digests) {
        this.digests = new LinkedHashMap<>(digests);
        return this;
    }

    public RunReport violations(List<String> violations) {
        this.violations = new ArrayList<>(violations);
        return this;
    }

    /** The linearizability check of writes and linearizable reads (LinearResult's JSON view plus counts). */
    public RunReport linearizability(Map<String, Object> json) {
        this.linearizability = json;
        return this;
    }

    /** The checks of stale reads on secondaries. */
    public RunReport secondaryReads(Map<String, Object> json) {
        this.secondaryReads = json;
        return this;
    }

    /** Which regions acknowledged writes in which epoch (the single-primary invariant). */
    public RunReport primaryAcks(Map<String, Object> json) {
        this.primaryAcks = json;
        return this;
    }

    /** Null unless the scenario raced two promotions: who won, who lost and why. */
    public RunReport promotionRace(Map<String, Object> json) {
        this.promotionRace = json;
        return this;
    }

    public RunReport durationSeconds(double seconds) {
        this.durationSeconds = seconds;
        return this;
    }

    public RunReport config(Config config) {
        this.config = config;
        return this;
    }

    public RunReport writeLatencyMs(Latency latency) {
        this.writeLatencyMs = latency;
        return this;
    }

    public RunReport event(long tMs, String event) {
        this.timeline.add(new TimelineEvent(tMs, event));
        return this;
    }

    public RunReport sample(long tMs, double opsPerSecond, Map<String, Double> lagMsByRegion) {
        this.series.add(new SeriesPoint(tMs, opsPerSecond, new LinkedHashMap<>(lagMsByRegion)));
        return this;
    }

    public String scenario() {
        return scenario;
    }

    public long seed() {
        return seed;
    }

    public List<String> regions() {
        return List.copyOf(regions);
    }

    public String primaryRegionFinal() {
        return primaryRegionFinal;
    }

    public long writesAttempted() {
        return writesAttempted;
    }

    public long writesAcked() {
        return writesAcked;
    }

    public double throughputOpsPerSecond() {
        return throughputOpsPerSecond;
    }

    public Map<String, Lag> lagMs() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(lagMs));
    }

    public Failover failover() {
        return failover;
    }

    public Double switchoverMs() {
        return switchoverMs;
    }

    public long lostAckedWrites() {
        return lostAckedWrites;
    }

    public long fencedWritesAccepted() {
        return fencedWritesAccepted;
    }

    public boolean converged() {
        return converged;
    }

    public Map<String, String> digests() {
        return new LinkedHashMap<>(digests);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** A run passes when the checker found no violation. */
    public boolean passed() {
        return violations.isEmpty();
    }

    public Map<String, Object> linearizability() {
        return linearizability;
    }

    public Map<String, Object> secondaryReads() {
        return secondaryReads;
    }

    public Map<String, Object> primaryAcks() {
        return primaryAcks;
    }

    public RunReport nemesis(Map<String, Object> json) {
        this.nemesis = json;
        return this;
    }

    public Map<String, Object> nemesis() {
        return nemesis;
    }

    public Map<String, Object> promotionRace() {
        return promotionRace;
    }

    public double durationSeconds() {
        return durationSeconds;
    }

    public Config config() {
        return config;
    }

    public Latency writeLatencyMs() {
        return writeLatencyMs;
    }

    public List<TimelineEvent> timeline() {
        return List.copyOf(timeline);
    }

    public List<SeriesPoint> series() {
        return List.copyOf(series);
    }
}
