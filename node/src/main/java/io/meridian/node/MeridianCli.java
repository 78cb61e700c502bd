package io.meridian.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

/**
 * {@code meridian}: run a node, operate a cluster ({@code ctl}), or start and stop a local one
 * ({@code up}, {@code down}). Exit codes: 0 ok, 1 operation failed, 2 usage or configuration error.
 */
@Command(name = "meridian", mixinStandardHelpOptions = true, version = "meridian 0.1.0",
        description = "Meridian multi-region replication: node process, cluster control and local launcher.",
        subcommands = {NodeCommand.class, CtlCommand.class, UpCommand.class, DownCommand.class})
public final class MeridianCli {

    /** Operation failed (the cluster said no, or could not be reached). */
    public static final int FAILED = 1;
    /** Bad usage or configuration: nothing was done. */
    public static final int USAGE = 2;

    private final Map<String, String> env;

    public MeridianCli(Map<String, String> env) {
        this.env = env;
    }

    Map<String, String> env() {
        return env;
    }

    public static void main(String[] args) {
        SofaLogging.disableBridge();
        System.exit(run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; returns its exit code. */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new MeridianCli(env));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("meridian: " + e.getMessage());
            return FAILED;
        });
        return cli.execute(args);
    }
}
