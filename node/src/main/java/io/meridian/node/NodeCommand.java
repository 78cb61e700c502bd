package io.meridian.node;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code meridian node --config node.yaml}: runs one node (or the witness) until SIGTERM, which
 * closes it gracefully. A SIGKILL is safe too: the Raft log and the WAL are the node's durable state.
 */
@Command(name = "node", description = "Run one node (or a witness) from a YAML config; stop it with SIGTERM.")
final class NodeCommand implements Callable<Integer> {

    @ParentCommand
    private MeridianCli parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", required = true, description = "the node's YAML config")
    private Path config;

    @Override
    public Integer call() throws InterruptedException {
        ResolvedConfig resolved;
        AutoCloseable running;
        try {
            resolved = new ConfigLoader(parent.env()).load(config);
            running = resolved.isWitness() ? WitnessNode.start(resolved) : MeridianNode.start(resolved);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("meridian node: invalid configuration in " + config + ": " + e.getMessage());
            return MeridianCli.USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "meridian-shutdown"));
        stopped.await();
        return 0;
    }
}
