package io.meridian.node;

import io.meridian.support.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A cluster of node processes on loopback, kept in one directory: {@code cluster.secret} and
 * {@code admin.token} (both 0600; every node, the witness included, uses that one admin token, so
 * that {@code ctl --dir DIR} can talk to all of them), and per node {@code <node>.yaml}, {@code <node>.log}, {@code <node>.pid} and {@code data/<node>/}.
 * Starting again on an existing directory reuses its configs and data and starts only the nodes that
 * are not running (that is how a killed node rejoins).
 */
public final class LocalCluster {

    /** What {@code up} generates. */
    /** @param fsync fsync the Raft log on commit (what a node does by default); off only for laptops */
    public record Layout(int regions, int nodesPerRegion, int basePort, long leaseMs, String heap, boolean fsync) { }

    private final Path dir;
    private final PrintWriter log;

    public LocalCluster(Path dir, PrintWriter log) {
        this.dir = dir.toAbsolutePath();
        this.log = log;
    }

    public Path dir() {
        return dir;
    }

    /** The admin token every node of this cluster uses (ctl finds it with {@code --dir}). */
    public Path adminTokenFile() {
        return dir.resolve(AdminToken.FILE_NAME);
    }

    /** Node ids in start order (the witness last), from the configs present. */
    public List<String> nodes() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> ids = new ArrayList<>(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList());
            if (ids.remove(io.meridian.Witness.NAME)) {
                ids.add(io.meridian.Witness.NAME);
            }
            return ids;
        }
    }

    /** Where each node listens and is reached: its Raft, Aeron and admin {@code host:port}. */
    public interface ClusterAddresses {
        String raft(String id);

        String aeron(String id);

        String admin(String id);
    }

    /** Free (or, from {@code basePort}, consecutive) loopback ports, handed out in the order they are asked for. */
    private static ClusterAddresses loopback(int basePort) {
        int[] next = {basePort};
        Map<String, String> given = new java.util.HashMap<>();
        java.util.function.Function<String, String> port = key -> given.computeIfAbsent(key,
                k -> "127.0.0.1:" + (basePort > 0 ? next[0]++ : LoopbackPorts.free()));
        return new ClusterAddresses() {
            public String raft(String id) {
                return port.apply(id + "/raft");
            }

            public String aeron(String id) {
                return port.apply(id + "/aeron");
            }

            public String admin(String id) {
                return port.apply(id + "/admin");
            }
        };
    }

    /** Writes loopback configs and the secret unless the directory already holds a cluster. */
    public void generateIfMissing(Layout layout) throws IOException {
        generateIfMissing(layout, java.util.Optional.empty());
    }

    /**
     * Writes the configs and the secret unless the directory already holds a cluster; nodes get
     * {@code addresses} (e.g. a {@link NetnsLab}'s), or free loopback ports when empty.
     */
    public void generateIfMissing(Layout layout, Optional<ClusterAddresses> addressesOrLoopback) throws IOException {
        if (!nodes().isEmpty()) {
            log.println("reusing the cluster in " + dir + " (its configs and data)");
            if (!Files.exists(adminTokenFile())) {
                log.println("note: " + dir + " predates admin tokens: each node uses its own data/<node>/admin.token;"
                        + " run `meridian down` and delete the directory to get one shared token");
            }
            return;
        }
        Files.createDirectories(dir);
        Path secret = dir.resolve("cluster.secret");
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        Files.writeString(secret, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path token = adminTokenFile();
        if (!Files.exists(token)) {
            AdminToken.writeNew(token, AdminToken.generate());
        }
        ClusterAddresses addresses = addressesOrLoopback.orElseGet(() -> loopback(layout.basePort()));
        StringBuilder topology = new StringBuilder();
        Map<String, String> admins = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (int r = 0; r < layout.regions(); r++) {
            topology.append(r == 0 ? "" : ";").append("r").append(r).append('=');
            for (int n = 1; n <= layout.nodesPerRegion(); n++) {
                String id = "r" + r + "-" + n;
                ids.add(id);
                topology.append(n == 1 ? "" : ",").append(id).append('@').append(addresses.raft(id));
                if (layout.regions() > 1) {
                    topology.append('/').append(addresses.aeron(id));
                }
                admins.put(id, addresses.admin(id));
            }
        }
        boolean witness = layout.regions() == 2;
        String witnessEndpoint = witness ? addresses.aeron(io.meridian.Witness.NAME) : null;
        if (witness) {
            ids.add(io.meridian.Witness.NAME);
            admins.put(io.meridian.Witness.NAME, addresses.admin(io.meridian.Witness.NAME));
        }
        for (String id : ids) {
            Files.writeString(dir.resolve(id + ".yaml"), yaml(id, layout, topology.toString(), witnessEndpoint, admins),
                    StandardCharsets.UTF_8);
        }
        log.println("generated " + ids.size() + " configs in " + dir);
    }

    private static String yaml(String id, Layout layout, String topology, String witnessEndpoint,
                               Map<String, String> admins) {
        StringBuilder y = new StringBuilder();
        y.append("# Generated by `meridian up`; see docs/operations.md for every setting.\n");
        if (io.meridian.Witness.NAME.equals(id)) {
            y.append("role: witness\n");
        }
        y.append("nodeId: ").append(id).append('\n');
        y.append("topology: \"").append(topology).append("\"\n");
        y.append("primaryRegion: r0\n");
        if (witnessEndpoint != null) {
            y.append("witnessEndpoint: ").append(witnessEndpoint).append('\n');
        }
        y.append("dataDir: data/").append(id).append('\n');
        y.append("adminEndpoint: ").append(admins.get(id)).append('\n');
        y.append("adminEndpoints:\n");
        admins.forEach((n, a) -> y.append("  ").append(n).append(": ").append(a).append('\n'));
        y.append("clusterSecretFile: cluster.secret\n");
        y.append("admin:\n");
        y.append("  tokenFile: ").append(AdminToken.FILE_NAME).append('\n');
        y.append("electionTimeoutMs: 1500\n");
        y.append("applyTimeoutMs: 10000\n");
        // Same default as a node's own config: a killed process loses nothing either way (the page
        // cache survives it), but without fsync a power loss can lose acknowledged writes.
        y.append("fsync: ").append(layout.fsync()).append('\n');
        y.append("crossRegion:\n");
        if (layout.regions() > 1 && layout.leaseMs() == 0) {
            y.append("  unsafeNoFencing: true   # --lease-ms 0: no lease, split brain possible\n");
        } else if (layout.leaseMs() > 0) {
            y.append("  leaseMs: ").append(layout.leaseMs()).append('\n');
        }
        y.append("  leaseMarginMs: 300\n");
        y.append("  ackTimeoutMs: 1000\n");
        y.append("  switchoverTimeoutMs: 10000\n");
        return y.toString();
    }

    /** Starts every node whose pid file names no live process; returns the ids started. */
    public List<String> startMissing(String heap) throws IOException {
        return startMissing(heap, id -> List.of());
    }

    /**
     * Starts every node whose pid file names no live process, each command preceded by
     * {@code launcher.apply(id)} (e.g. {@code ip netns exec NS}, which execs it: the pid stays the node's).
     */
    public List<String> startMissing(String heap, java.util.function.Function<String, List<String>> launcher)
            throws IOException {
        List<String> started = new ArrayList<>();
        for (String id : nodes()) {
            if (runningPid(id).isPresent()) {
                continue;
            }
            List<String> command = new ArrayList<>(launcher.apply(id));
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + heap);
            command.add("-Djava.net.preferIPv4Stack=true");
            command.addAll(inheritedJvmFlags());
            command.add("-cp");
            command.add(absoluteClassPath());
            command.add(MeridianCli.class.getName());
            command.add("node");
            command.add("--config");
            command.add(dir.resolve(id + ".yaml").toString());
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // The generated configs are complete: a MERIDIAN_* variable of the caller must not override them.
            pb.environment().keySet().removeIf(k -> k.startsWith(EnvOverrides.PREFIX));
            Process p = pb.start();
            Files.writeString(dir.resolve(id + ".pid"), p.pid() + "\n", StandardCharsets.UTF_8);
            started.add(id);
        }
        return started;
    }

    /** Children run in the cluster directory: a relative class path entry would not resolve there. */
    static String absoluteClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    /**
     * The JVM flags Chronicle Queue and Aeron need, taken from this JVM (bin/meridian and surefire
     * both start it with the parent pom's {@code meridian.jvm.flags}).
     */
    static List<String> inheritedJvmFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("--enable-native-access")
                        || a.startsWith("--sun-misc-unsafe-memory-access") || a.startsWith("-Dchronicle."))
                .toList();
    }

    /** The admin address of every node, from its config. */
    public Map<String, String> adminAddresses() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : nodes()) {
            for (String line : Files.readAllLines(dir.resolve(id + ".yaml"), StandardCharsets.UTF_8)) {
                if (line.startsWith("adminEndpoint:")) {
                    out.put(id, line.substring("adminEndpoint:".length()).trim());
                }
            }
        }
        return out;
    }

    /** The live process of a node, if its pid file names one that runs this node's config. */
    public Optional<ProcessHandle> runningPid(String id) throws IOException {
        Path pidFile = dir.resolve(id + ".pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String config = dir.resolve(id + ".yaml").toString();
        // A recycled pid would belong to some other program: only trust a process running our config.
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> commandLine(h).map(c -> c.contains(config)).orElse(true));
    }

    /**
     * The full command line: the JDK's {@code Info.commandLine()} drops the arguments of a long
     * command line on Linux, so /proc is read first.
     */
    private static Optional<String> commandLine(ProcessHandle h) {
        Path proc = Path.of("/proc", Long.toString(h.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                return Optional.of(new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' '));
            }
        } catch (IOException ignored) {
            // the process just exited: fall back
        }
        return h.info().commandLine();
    }

    /** SIGTERM every node, SIGKILL those still alive after {@code grace}; returns the ids stopped. */
    public List<String> stopAll(Duration grace) throws IOException {
        Map<String, ProcessHandle> live = new LinkedHashMap<>();
        for (String id : nodes()) {
            runningPid(id).ifPresent(h -> live.put(id, h));
        }
        live.values().forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Map.Entry<String, ProcessHandle> e : live.entrySet()) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                e.getValue().onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (Exception timeout) {
                log.println(e.getKey() + " did not stop within " + grace.toSeconds() + " s: SIGKILL");
                e.getValue().destroyForcibly();
                e.getValue().onExit().join();
            }
        }
        for (String id : nodes()) {
            Path pidFile = dir.resolve(id + ".pid");
            if (Files.exists(pidFile)) {
                removeAeronDirs(Files.readString(pidFile).trim());
                Files.delete(pidFile);
            }
        }
        return new ArrayList<>(live.keySet());
    }

    /** A killed node leaves its embedded Aeron driver directory behind (named after its pid). */
    private static void removeAeronDirs(String pid) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm) || pid.isEmpty()) {
            return;
        }
        try (Stream<Path> dirs = Files.list(shm)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("meridian-aeron-" + pid + "-")).toList()) {
                try (Stream<Path> walk = Files.walk(d)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
