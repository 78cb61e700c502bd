package io.meridian.sim.run;

import io.meridian.sim.check.CheckResult;
import io.meridian.sim.check.Checker;
import io.meridian.sim.check.DivergentTail;
import io.meridian.sim.check.FinalLog;
import io.meridian.sim.check.History;
import io.meridian.sim.check.LogEntry;
import io.meridian.sim.check.ReadCheckResult;
import io.meridian.sim.check.ReadChecks;
import io.meridian.sim.check.RegionFinalState;
import io.meridian.sim.report.ReportWriter;
import io.meridian.sim.report.RunReport;
import io.meridian.sim.scenario.Scenario;
import io.meridian.sim.scenario.ScenarioContext;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One simulator run: start the cluster, write while the scenario injects faults, stop, heal, wait
 * for convergence, check, and write report.json/report.html into the report dir.
 */
public final class SimRun {

    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(60);

    private final SimConfig config;
    private final Scenario scenario;
    private final Path reportDir;
    private final PrintStream out;

    public SimRun(SimConfig config, Scenario scenario, Path reportDir, PrintStream out) {
        this.config = config;
        this.scenario = scenario;
        this.reportDir = reportDir;
        this.out = out;
    }

    /** Runs to the end and writes the report; every node, the witness and the WAN are closed on return. */
    public RunReport run() throws IOException {
        Path dataRoot = Files.createTempDirectory("meridian-sim-" + scenario.name() + "-");
        try {
            return runIn(dataRoot);
        } finally {
            if (config.keepData()) {
                out.println("data kept in " + dataRoot);
            } else {
                deleteRecursively(dataRoot);
            }
        }
    }

    private RunReport runIn(Path dataRoot) throws IOException {
        out.printf("scenario %s: %d regions x %d nodes, %s, %s, WAN %s +/- %s, loss %s, seed %d%n", scenario.name(),
                config.regions(), config.nodesPerRegion(), Durations.format(config.duration()),
                config.rate() > 0 ? config.rate() + " ops/s" : "closed loop (" + config.clients() + " clients)",
                Durations.format(config.wanDelay()), Durations.format(config.jitter()), config.loss(), config.seed());
        List<String> errors = new ArrayList<>();
        warmUp(dataRoot.resolve("warmup"));
        try (Cluster cluster = config.processes() ? new ProcessCluster(config, dataRoot, out)
                : new SimCluster(config, dataRoot)) {
            try {
                cluster.start(Duration.ofSeconds(config.processes() ? 120 : 60));
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("cannot start the cluster: " + e, e);
            }
            RunClock clock = new RunClock(out);
            Workload workload = new Workload(cluster, config, clock);
            ScenarioContext ctx = new ScenarioContext(cluster, config, clock, workload, scenario.name());
            Sampler sampler = new Sampler(cluster, workload, clock, !config.quiet(), ctx::phase);
            double loadAtStart = loadAverage();
            ThreadCpu cpu = ThreadCpu.start();
            workload.start();
            sampler.start();
            runScenario(ctx, errors);
            errors.addAll(0, ctx.problems());
            long loadEnd = config.duration().toMillis();
            while (clock.elapsedMs() < loadEnd) {
                SimCluster.pause(Math.min(100, Math.max(1, loadEnd - clock.elapsedMs())));
            }
            double loadSeconds = clock.elapsedMs() / 1000.0;
            Map<String, Long> appliedAtLoadEnd = appliedIndexes(cluster);
            double loadAtEnd = loadAverage();
            Map<String, Double> cpuByThread = config.processes() ? Map.of() : cpu.coresByGroup();
            workload.stop();
            clock.event("load stopped after " + workload.history().counts().attempted()
                    + " writes; healing and waiting for convergence");
            cluster.healAll();
            ctx.recoverAll();
            boolean settled = cluster.awaitConvergence(CONVERGENCE_TIMEOUT);
            sampler.close();
            clock.event(settled ? "converged" : "did NOT converge within " + CONVERGENCE_TIMEOUT.toSeconds() + "s");
            RunReport report = buildReport(cluster, ctx, workload, clock, sampler, loadSeconds, errors);
            report.applyRatio(applyRatios(appliedAtLoadEnd, report.primaryRegionFinal()));
            report.machine(Map.of("cores", Runtime.getRuntime().availableProcessors(),
                    "java", System.getProperty("java.vm.version", "?"),
                    "load_avg_1m_start", loadAtStart, "load_avg_1m_end", loadAtEnd,
                    "cpu_cores_by_thread", cpuByThread));
            ReportWriter.write(report, reportDir);
            out.println();
            out.println("report: " + reportDir.toAbsolutePath().resolve(ReportWriter.HTML_FILE));
            out.print(ReportWriter.summary(report));
            out.flush();
            return report;
        }
    }

    /** Runs the scenario on its own thread, bounded by the duration plus slack for its waits. */
    private void runScenario(ScenarioContext ctx, List<String> errors) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                scenario.run(ctx);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "sim-scenario");
        t.setDaemon(true);
        t.start();
        try {
            t.join(config.duration().toMillis() + 120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            t.interrupt();
            errors.add("SCENARIO_ERROR: scenario " + scenario.name() + " did not finish");
        } else if (failure.get() != null) {
            Throwable e = failure.get();
            String text = e.getClass().getSimpleName() + ": " + e.getMessage();
            ctx.event("scenario step failed: " + text);
            errors.add("SCENARIO_ERROR: " + text);
        }
    }

    private static final double WARMUP_MIN_RATE = 8_000;
    private static final long WARMUP_JIT_WAIT_MILLIS = 25_000;

    /**
     * Runs the configured load for {@link SimConfig#warmup()} on a throwaway cluster of the same shape,
     * then discards it (its data, histograms and history): the JIT compiles the data path while nothing
     * is measured. Without it the first seconds of every run measured the C2 compiler competing with
     * six Raft nodes for two cores (the lag of a 30 s run at 1,000 ops/s: ~75 ms for 2 s, then ~31 ms).
     */
    private void warmUp(Path dir) {
        if (config.warmup().isZero() || config.processes()) {
            return;
        }
        long start = System.nanoTime();
        try (SimCluster warm = new SimCluster(config, dir)) {
            warm.start(Duration.ofSeconds(60));
            Workload load = new Workload(warm, config, new RunClock(new java.io.PrintStream(
                    java.io.OutputStream.nullOutputStream())));
            if (config.rate() > 0) {
                // Invocation counts, not seconds, make the JIT compile: at a low offered rate the hot
                // methods of the data path would still be reaching C2's thresholds (and the compiler
                // threads still taking a third of a core) well into the measured run.
                load.rate(Math.max(config.rate(), WARMUP_MIN_RATE));
            }
            load.start();
            SimCluster.pause(config.warmup().toMillis());
            // Under load, not after it: the C2 queue a warm-up builds raises the thresholds of the
            // methods still waiting at tier 3, and without load they would reach C2 only once the
            // measured run calls them (seen: hot Raft and Disruptor methods compiled 15 s into it).
            awaitJitQuiet(WARMUP_JIT_WAIT_MILLIS);
            load.stop();
        } catch (Exception e) {
            out.println("warm-up failed (the run goes on, cold): " + e);
        } finally {
            deleteRecursively(dir);
        }
        out.printf("warm-up: %s of load on a throwaway cluster (JIT), %.1f s in all; not part of the run%n",
                Durations.format(config.warmup()), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Waits, at most {@code maxMillis}, until the JIT compiled for less than 50 ms in each of the last
     * two half-seconds: the methods the warm-up made hot are compiled before the measured run starts.
     */
    private static void awaitJitQuiet(long maxMillis) {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        long before = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 2 && deadline - System.nanoTime() > 0) {
            SimCluster.pause(500);
            long now = jit.getTotalCompilationTime();
            quiet = now - before < 50 ? quiet + 1 : 0;
            before = now;
        }
    }

    /** The 1-minute load average (-1 where /proc/loadavg is missing): a busy machine explains noisy figures. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Each region leader's applied index right now (0 without a leader). */
    private static Map<String, Long> appliedIndexes(Cluster cluster) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (String region : cluster.regions()) {
            try {
                SimNode leader = cluster.leaderOf(region);
                out.put(region, leader == null ? 0L : leader.appliedIndex());
            } catch (RuntimeException e) {
                out.put(region, 0L);
            }
        }
        return out;
    }

    /**
     * How much of what the primary had applied when the load stopped each other region had applied
     * by then: over a run from an empty log this is remote apply rate / primary commit rate.
     */
    private static Map<String, Double> applyRatios(Map<String, Long> applied, String primary) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        long base = applied.getOrDefault(primary, 0L);
        applied.forEach((region, index) -> {
            if (!region.equals(primary) && base > 0) {
                out.put(region, index / (double) base);
            }
        });
        return out;
    }

    private RunReport buildReport(Cluster cluster, ScenarioContext ctx, Workload workload, RunClock clock,
                                  Sampler sampler, double loadSeconds, List<String> errors) throws IOException {
        History history = workload.history();
        String primary = cluster.primaryRegion();
        Map<String, RunReport.Lag> lags = new java.util.LinkedHashMap<>();
        Map<String, Map<String, RunReport.StageLag>> anatomy = new java.util.LinkedHashMap<>();
        String lagFrom = primary != null ? primary : "r0";
        for (String region : cluster.regions()) {
            lags.put(region, cluster.inboundLag(region, lagFrom));
            anatomy.put(region, cluster.lagAnatomy(region, lagFrom));
        }
        Cluster.Final end = cluster.collectFinal();
        List<RegionFinalState> finals = end.regions();
        List<DivergentTail> tails = end.tails();
        CheckResult check = Checker.check(history, finals, tails, !ctx.promoted(), primary);
        History.Counts counts = history.counts();
        List<String> violations = new ArrayList<>(errors);
        violations.addAll(check.violations());
        long checkStart = System.nanoTime();
        FinalLog finalLog = FinalLog.of(finals, check.finalPrimaryRegion());
        ReadCheckResult reads = ReadChecks.check(workload.ops().primaryOps(), workload.ops().staleReads(),
                finalLog, discardedWrites(tails, finalLog),
                check.epochAcks().firstAckMsByEpoch(), 1_000_000L);
        clock.event("consistency checks took " + (System.nanoTime() - checkStart) / 1_000_000 + " ms: linearizability "
                + reads.linear().verdict().json() + ", secondary reads " + reads.secondary().verdict().json());
        violations.addAll(reads.violationLines());

        RunReport report = new RunReport().scenario(scenario.name()).seed(config.seed()).regions(cluster.regions())
                .primaryRegionFinal(primary != null ? primary : check.finalPrimaryRegion())
                .writes(counts.attempted(), counts.acked())
                .throughputOpsPerSecond(loadSeconds > 0 ? counts.acked() / loadSeconds : 0)
                .switchoverMs(ctx.switchoverMs())
                .lostAckedWrites(check.lostAckedWrites().size())
                .fencedWritesAccepted(check.fencedWritesAccepted().size())
                .converged(check.converged())
                .digests(check.digests())
                .violations(violations)
                .linearizability(reads.linearizabilityJson())
                .secondaryReads(reads.secondaryJson())
                .primaryAcks(check.epochAcks().toJson())
                .promotionRace(ctx.promotionRace())
                .nemesis(ctx.nemesis())
                .sweep(ctx.sweep())
                .durationSeconds(loadSeconds)
                .config(new RunReport.Config(config.nodesPerRegion(), config.rate(), config.payloadBytes(),
                        config.wanDelay().toNanos() / 1e6, config.jitter().toNanos() / 1e6, config.loss()))
                .writeLatencyMs(RunReport.Latency.of(workload.latencyMicros(), 1000.0));
        for (String region : cluster.regions()) {
            if (!region.equals(report.primaryRegionFinal())) {
                report.lag(region, lags.get(region));
                report.lagAnatomy(region, anatomy.get(region));
            }
        }
        if (ctx.promoted()) {
            long firstAck = workload.firstAckMs(ctx.promotedRegion(), ctx.promotedEpoch());
            long[] reported = divergentOutcomes(tails, history);
            clock.event("divergent tails hold " + reported[0] + " data entries, " + reported[1]
                    + " of them never acknowledged to the client");
            report.failover(new RunReport.Failover(firstAck < 0 ? -1 : firstAck - ctx.cutMs(),
                    check.lostAckedWrites().size(), reported[0], reported[1]));
        }
        clock.events().forEach(e -> report.event(e.tMs(), e.event()));
        sampler.series().forEach(p -> report.sample(p.tMs(), p.opsPerSecond(), p.lagMs()));
        return report;
    }

    /**
     * {data entries in the exported divergent tails, those whose write the client never saw
     * acknowledged}: acknowledged ones are the RPO; the others were committed by the old primary but
     * their outcome reached the client as unknown.
     */
    private static long[] divergentOutcomes(List<DivergentTail> tails, History history) {
        Set<Integer> acked = new HashSet<>();
        history.acked().forEach(w -> acked.add(w.id()));
        long entries = 0;
        long unacked = 0;
        for (DivergentTail tail : tails) {
            for (var e : tail.entries()) {
                if (e.isData()) {
                    entries++;
                    unacked += acked.contains(e.writeId()) ? 0 : 1;
                }
            }
        }
        return new long[] {entries, unacked};
    }

    /**
     * Write id to the epoch of its entry, for every write in an exported divergent tail that the
     * final log does not hold: the writes a promotion with data loss discarded.
     */
    private static Map<Long, Long> discardedWrites(List<DivergentTail> tails, FinalLog log) {
        Map<Long, Long> discarded = new HashMap<>();
        for (DivergentTail tail : tails) {
            for (LogEntry e : tail.entries()) {
                if (e.writeId() >= 0 && !log.holdsWrite(e.writeId())) {
                    discarded.put((long) e.writeId(), e.epoch());
                }
            }
        }
        return discarded;
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
