package io.meridian.node;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code meridian down}: SIGTERM every node of a local cluster, SIGKILL the ones that outlive the grace period. */
@Command(name = "down", description = "Stop a local cluster started by `up` (its data is kept).")
final class DownCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", defaultValue = "run", description = "cluster directory (default run/)")
    private Path dir;

    @Option(names = "--grace", defaultValue = "20", description = "seconds before SIGKILL (default 20)")
    private int graceSeconds;

    @Override
    public Integer call() throws Exception {
        LocalCluster cluster = new LocalCluster(dir, spec.commandLine().getErr());
        if (cluster.nodes().isEmpty()) {
            spec.commandLine().getErr().println("meridian down: no cluster in " + cluster.dir());
            return MeridianCli.FAILED;
        }
        List<String> stopped = cluster.stopAll(Duration.ofSeconds(graceSeconds));
        spec.commandLine().getOut().println("stopped " + stopped.size() + " node(s): " + String.join(" ", stopped));
        List<String> namespaces = NetnsUp.destroy(cluster.dir());
        if (!namespaces.isEmpty()) {
            spec.commandLine().getOut().println("removed " + namespaces.size() + " network namespace(s) of `up --netns`");
        }
        return 0;
    }
}
