package io.meridian.node;

import io.meridian.ForwardingStats;
import io.meridian.Replicator;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.TimeUnit;

/**
 * Forwarding's metrics, sampled from {@link Replicator#forwardingStats()} when scraped. Every
 * failure reason is registered at zero from the start, so the first failure shows as an increase.
 */
final class ForwardingMetrics {

    private ForwardingMetrics() {
    }

    static void register(MeterRegistry registry, Replicator replicator) {
        FunctionCounter.builder("meridian.forwarded", replicator, r -> r.forwardingStats().forwarded())
                .description("writes and read-index requests this node forwarded to the primary's leader")
                .register(registry);
        FunctionCounter.builder("meridian.forward.succeeded", replicator, r -> r.forwardingStats().succeeded())
                .description("forwarded requests answered with success").register(registry);
        FunctionCounter.builder("meridian.forward.served", replicator, r -> r.forwardingStats().served())
                .description("requests other nodes forwarded to this node").register(registry);
        for (String reason : ForwardingStats.REASONS) {
            FunctionCounter.builder("meridian.forward.failures", replicator,
                            r -> r.forwardingStats().failures().getOrDefault(reason, 0L))
                    .description("forwarded requests that failed, by reason (timeout and unknown: outcome unknown)")
                    .tag("reason", reason).register(registry);
        }
        FunctionTimer.builder("meridian.forward.latency", replicator, r -> r.forwardingStats().latencyCount(),
                        r -> r.forwardingStats().latencyTotalNanos(), TimeUnit.NANOSECONDS)
                .description("round trip of answered forwarded requests").register(registry);
        Gauge.builder("meridian.forward.latency.max", replicator, r -> r.forwardingStats().latencyMaxNanos() / 1e9)
                .description("longest round trip of an answered forwarded request, seconds").baseUnit("seconds")
                .register(registry);
    }
}
