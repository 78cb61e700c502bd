package io.meridian.sim.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The sweep scenario's part of report.json: the throughput–lag curve, one {@link Step} per load
 * step, and where it saturates ({@code saturatedAtOfferedOps} null: no step saturated).
 */
public record SweepCurve(@JsonProperty("steps") List<Step> steps,
                         @JsonProperty("saturation_writes_per_s") double saturationWritesPerSecond,
                         @JsonProperty("saturated_at_offered_ops_per_s") Double saturatedAtOfferedOps) {

    /** One load step: offered vs achieved, and the secondaries' lag over the step (ms). */
    public record Step(@JsonProperty("offered_ops_per_s") double offeredOps,
                       @JsonProperty("offered_writes_per_s") double offeredWrites,
                       @JsonProperty("achieved_writes_per_s") double achievedWrites,
                       @JsonProperty("lag_samples") long lagSamples,
                       @JsonProperty("lag_p50_ms") double lagP50Ms, @JsonProperty("lag_p99_ms") double lagP99Ms,
                       @JsonProperty("lag_max_ms") double lagMaxMs) { }
}
