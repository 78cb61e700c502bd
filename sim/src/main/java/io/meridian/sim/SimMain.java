package io.meridian.sim;

import io.meridian.sim.report.RunReport;
import io.meridian.sim.run.Durations;
import io.meridian.sim.run.SimConfig;
import io.meridian.sim.run.SimRun;
import io.meridian.sim.scenario.Scenario;
import io.meridian.sim.scenario.ScenarioFile;
import io.meridian.sim.scenario.Scenarios;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bin/sim}: runs a Meridian cluster in this JVM under a scenario and reports. Exit codes: 0 no
 * violation, 1 violations (or the run could not complete), 2 bad arguments.
 */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs R regions x N Meridian nodes in one JVM over an emulated WAN, injects a scenario's "
                + "faults under load, checks the outcome and writes report.json + report.html.")
public final class SimMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "steady, leader-crash, region-partition, switchover, failover, promote-during-lease, "
                    + "dueling-promotions (3+ regions), nemesis, all (each of those), or sweep (throughput-lag curve: "
                    + "the offered load doubles each step from 500 ops/s; use --duration 60s) (default: switchover)")
    String scenario;

    @Option(names = "--file", paramLabel = "FILE", description = "Scenario file (see docs/simulator.md)")
    Path file;

    @Option(names = "--regions", paramLabel = "N", description = "Regions (default: 3)")
    int regions = 3;

    @Option(names = "--nodes-per-region", paramLabel = "N", description = "Nodes per region (default: 3)")
    int nodesPerRegion = 3;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "Load duration, e.g. 30s, 5m (default: 30s)")
    Duration duration = Duration.ofSeconds(30);

    @Option(names = "--rate", paramLabel = "OPS", description = "Open-loop target ops/s; 0 = closed loop (default: 1000)")
    double rate = 1000;

    @Option(names = "--clients", paramLabel = "N", description = "Writes in flight in closed loop (default: 16)")
    int clients = 16;

    @Option(names = "--payload", paramLabel = "BYTES",
            description = "Value size, 16..1048576 (default: 64); the nodes' payload limit is raised to fit it")
    int payload = 64;

    @Option(names = "--key-space", paramLabel = "N",
            description = "Distinct keys (default: 1000, fewer for large payloads so a node's state stays near 64 MiB)")
    int keySpace;

    @Option(names = "--incompressible",
            description = "Fill values with bytes from the seeded RNG (LZ4 cannot shrink them) instead of text")
    boolean incompressible;

    @Option(names = "--read-ratio", paramLabel = "R", description = "Share of ops that are reads, in [0,1) (default: 0.3)")
    double readRatio = 0.3;

    @Option(names = "--wan-delay", paramLabel = "D", converter = DurationConverter.class,
            description = "One-way delay between regions (default: 20ms)")
    Duration wanDelay = Duration.ofMillis(20);

    @Option(names = "--jitter", paramLabel = "D", converter = DurationConverter.class,
            description = "Uniform jitter on the delay (default: 2ms)")
    Duration jitter = Duration.ofMillis(2);

    @Option(names = "--loss", paramLabel = "P", description = "Datagram loss probability in [0,1) (default: 0)")
    double loss;

    @Option(names = "--bandwidth", paramLabel = "BYTES_PER_S", description = "Per-link cap, 0 = unlimited (default: 0)")
    long bandwidth;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for keys, jitter and loss (default: 1)")
    long seed = 1;

    @Option(names = "--report", paramLabel = "DIR", description = "Report directory (default: ./sim-report)")
    Path report = Path.of("sim-report");

    @Option(names = "--linger", paramLabel = "D", converter = DurationConverter.class,
            description = "Batch linger of the shippers (default: 0 = send whenever the WAL is drained)")
    Duration linger = io.meridian.CrossRegionSettings.DEFAULT_LINGER;

    @Option(names = "--lease", paramLabel = "D", converter = DurationConverter.class,
            description = "Primary lease (default: 1500ms; fencing is always on)")
    Duration lease = io.meridian.CrossRegionSettings.DEFAULT_LEASE;

    @Option(names = "--fsync", description = "fsync the Raft log (default off: all nodes share this machine's disk)")
    boolean fsync;

    @Option(names = "--keep-data", description = "Keep the nodes' data directories")
    boolean keepData;

    @Option(names = "--warmup", paramLabel = "D", converter = DurationConverter.class,
            description = "Load on a throwaway in-JVM cluster before the measured one starts, so the JIT has "
                    + "compiled the data path (default: 5s; 0 = none; not with --processes). Nothing of it is in the report")
    Duration warmup = Duration.ofSeconds(5);

    @Option(names = "--quiet", description = "No per-second progress lines")
    boolean quiet;

    @Option(names = "--processes",
            description = "One OS process per node (meridian node): crash = SIGKILL, pause = SIGSTOP/SIGCONT")
    boolean processes;

    private PrintStream out = System.out;

    public static void main(String[] args) {
        // SOFA's logging bridge does not know this logback version and complains on stderr; ours is configured.
        System.setProperty("logback.middleware.log.disable", "true");
        System.setProperty("sofa.middleware.log.disable", "true");
        System.setProperty("sofa.middleware.log.internal.level", "ERROR"); // its "is disabled!" notice
        // JRaft leaves non-daemon threads behind: exit explicitly.
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code (never exits the JVM). */
    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    public static int run(PrintStream out, PrintStream err, String... args) {
        SimMain main = new SimMain();
        main.out = out;
        return new CommandLine(main).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("sim: run failed: " + e);
                    e.printStackTrace(cmd.getErr());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public Integer call() throws IOException {
        SimConfig config = config();
        List<Scenario> scenarios = scenarios();
        boolean subdirs = scenarios.size() > 1;
        List<String> failed = new ArrayList<>();
        for (Scenario s : scenarios) {
            Path dir = subdirs ? report.resolve(s.name()) : report;
            RunReport r = new SimRun(config, s, dir, out).run();
            if (!r.passed()) {
                failed.add(s.name());
            }
        }
        if (subdirs) {
            out.println(failed.isEmpty() ? "ALL PASSED: " + scenarios.size() + " scenarios"
                    : "FAILED scenarios: " + String.join(", ", failed));
        }
        return failed.isEmpty() ? 0 : 1;
    }

    private SimConfig config() {
        try {
            return new SimConfig().regions(regions).nodesPerRegion(nodesPerRegion).duration(duration).rate(rate)
                    .clients(clients).payloadBytes(payload).keySpace(keySpace)
                    .incompressible(incompressible).wanDelay(wanDelay).jitter(jitter)
                    .readRatio(readRatio)
                    .loss(loss).bandwidthBytesPerSecond(bandwidth).seed(seed).reportDir(report).lease(lease).linger(linger)
                    .fsync(fsync).keepData(keepData).quiet(quiet).processes(processes)
                    .warmup(warmup).validate();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private List<Scenario> scenarios() {
        if (scenario != null && file != null) {
            throw new ParameterException(spec.commandLine(), "--scenario and --file are mutually exclusive");
        }
        try {
            if (file != null) {
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("--file: no such file " + file);
                }
                return List.of(ScenarioFile.read(file));
            }
            String name = scenario == null ? "switchover" : scenario;
            if (name.equals(Scenarios.ALL)) {
                List<Scenario> all = Scenarios.names().stream().map(Scenarios::byName).toList();
                all.stream().filter(s -> s.minRegions() > regions).forEach(s -> out.println("skipping " + s.name()
                        + ": needs --regions " + s.minRegions() + " or more"));
                return all.stream().filter(s -> s.minRegions() <= regions).toList();
            }
            Scenario one = Scenarios.byName(name);
            if (one.minRegions() > regions) {
                throw new IllegalArgumentException("--scenario " + name + " needs --regions " + one.minRegions()
                        + " or more");
            }
            return List.of(one);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            throw new ParameterException(spec.commandLine(), file != null && !msg.startsWith("--file")
                    ? "--file " + file + ": " + msg : msg);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--file " + file + ": " + e.getMessage());
        }
    }

    /** Picocli converter for 500ms / 30s / 5m. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
