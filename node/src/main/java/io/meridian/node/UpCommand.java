package io.meridian.node;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.concurrent.Callable;

/**
 * {@code meridian up}: starts a local cluster of node processes on loopback, or with {@code --netns}
 * each in its own network namespace ({@link NetnsLab}), plus a witness when there are two regions; waits until every node's {@code /health} is 200 and prints
 * {@code node host:port} per line. Every node shares the admin token in {@code DIR/admin.token}.
 * On a directory that already holds a cluster it starts the nodes
 * that are not running.
 */
@Command(name = "up", description = "Start a local multi-region cluster of node processes on 127.0.0.1.")
final class UpCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--regions", defaultValue = "3", description = "number of regions (default 3)")
    private int regions;

    @Option(names = "--nodes-per-region", defaultValue = "3", description = "nodes per region (default 3)")
    private int nodesPerRegion;

    @Option(names = "--dir", defaultValue = "run", description = "cluster directory (default run/)")
    private Path dir;

    @Option(names = "--base-port", defaultValue = "0", description = "first of consecutive ports to use (default: free ports)")
    private int basePort;

    @Option(names = "--lease-ms", defaultValue = "3000", description = "primary lease with several regions (default 3000); 0 turns fencing off (UNSAFE: split brain possible)")
    private long leaseMs;

    @Option(names = "--heap", defaultValue = "256m", description = "-Xmx of each node (default 256m)")
    private String heap;

    @Option(names = "--no-fsync", description = "do not fsync the Raft log (faster on laptops; a power loss may "
            + "lose acknowledged writes). Default: fsync on, like a node")
    private boolean noFsync;

    @Option(names = "--netns", description = "each node on its own host: a Linux network namespace with its own "
            + "addresses (needs root and iproute2; see docs/operations.md). `meridian down` removes the namespaces")
    private boolean netns;

    @Option(names = "--wait", defaultValue = "180", description = "seconds to wait for every node to be healthy (default 180)")
    private int waitSeconds;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        if (regions < 1 || regions > 9 || nodesPerRegion < 1 || nodesPerRegion > 9) {
            err.println("meridian up: --regions and --nodes-per-region must be in 1..9");
            return MeridianCli.USAGE;
        }
        LocalCluster cluster = new LocalCluster(dir, err);
        NetnsLab lab = null;
        if (netns || NetnsUp.recorded(cluster.dir()).isPresent()) {
            String reason = Netns.unavailableReason().orElse(null);
            if (reason != null) {
                err.println("meridian up --netns: " + reason);
                return MeridianCli.USAGE;
            }
            lab = NetnsUp.open(cluster, regions, nodesPerRegion);
        }
        cluster.generateIfMissing(new LocalCluster.Layout(regions, nodesPerRegion, basePort, leaseMs, heap,
                !noFsync), Optional.ofNullable(lab));
        NetnsLab l = lab;
        List<String> started = cluster.startMissing(heap, id -> l == null ? List.of() : l.execPrefix(id));
        err.println("started " + started + " (logs and pids in " + cluster.dir() + ")");
        Map<String, String> admins = cluster.adminAddresses();
        // The lab's addresses exist only inside its namespaces: reach them through a relay on its ops host.
        try (NetnsTunnel tunnel = lab == null ? null : NetnsTunnel.start(lab.execPrefix(NetnsLab.OPS),
                cluster.dir().resolve("relay.sock"), cluster.dir().resolve("relay.log"))) {
            List<String> unhealthy = awaitHealthy(admins, tunnel == null ? a -> a : tunnel::forward);
            if (!unhealthy.isEmpty()) {
                err.println("meridian up: not healthy after " + waitSeconds + " s: " + unhealthy + "; see their logs in "
                        + cluster.dir() + " (stop everything with: meridian down --dir " + dir + ")");
                return MeridianCli.FAILED;
            }
        }
        if (lab != null) {
            err.println("each node runs in its own network namespace (" + lab.ns("<node>") + "); operate from the ops"
                    + " host: ip netns exec " + lab.ns(NetnsLab.OPS) + " bin/meridian ctl --dir " + dir + " --addr "
                    + admins.values().iterator().next() + " status");
        }
        // Only where the token is, never the token: this output ends up in terminals and CI logs.
        if (Files.exists(cluster.adminTokenFile())) {
            err.println("admin token in " + cluster.adminTokenFile() + " (give ctl --dir " + dir + ")");
        }
        admins.forEach((id, addr) -> spec.commandLine().getOut().println(id + " " + addr));
        return 0;
    }

    /** Waits up to --wait for every node's /health; returns the nodes still unhealthy. */
    private List<String> awaitHealthy(Map<String, String> admins, UnaryOperator<String> reach) throws InterruptedException {
        AdminClient client = new AdminClient(Duration.ofSeconds(2));
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        List<String> unhealthy = new ArrayList<>(admins.keySet());
        while (!unhealthy.isEmpty() && System.nanoTime() < deadline) {
            unhealthy.removeIf(id -> healthy(client, reach.apply(admins.get(id))));
            if (!unhealthy.isEmpty()) {
                Thread.sleep(250);
            }
        }
        return unhealthy;
    }

    private static boolean healthy(AdminClient client, String address) {
        try {
            return client.get(address, "/health").status() == 200;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
