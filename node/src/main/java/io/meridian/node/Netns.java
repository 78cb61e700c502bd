package io.meridian.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The few {@code ip} (iproute2) commands a network-namespace lab needs, each run as a child process
 * and failing loudly with its stderr. Nothing here touches the root namespace's interfaces, routes or
 * addresses: links are created directly inside the namespaces they belong to.
 */
final class Netns {

    private Netns() {
    }

    /**
     * Why namespaces cannot be created here, or empty when they can: tried for real (create and delete
     * a probe namespace), since being root is not enough inside some containers.
     */
    static Optional<String> unavailableReason() {
        String probe = "mrdprobe" + ProcessHandle.current().pid();
        try {
            ip("netns", "add", probe);
        } catch (IOException e) {
            return Optional.of("cannot create a network namespace (needs root and iproute2's `ip`): " + e.getMessage());
        }
        Optional<String> reason = Optional.empty();
        try {
            // Entering one needs more (mounting its /sys) than making one, in some containers.
            ip("netns", "exec", probe, "ip", "link", "set", "lo", "up");
        } catch (IOException e) {
            reason = Optional.of("cannot run a program in a network namespace: " + e.getMessage());
        }
        try {
            ip("netns", "del", probe);
        } catch (IOException e) {
            return Optional.of("cannot delete a probe network namespace: " + e.getMessage());
        }
        return reason;
    }

    /** Runs {@code ip ARGS}; throws with its output when it exits non-zero. */
    static String ip(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    /** Runs {@code ip -n NS ARGS} (a command inside one namespace). */
    static String in(String ns, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", ns));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    /** Names of the existing namespaces. */
    static List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : ip("netns", "list").split("\n")) {
            // "name (id: 3)" or just "name"
            String name = line.trim().split("\\s+")[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /** SIGKILLs every process inside {@code ns}, then deletes it (its links and bridges go with it). */
    static void destroy(String ns) throws IOException {
        for (String pid : ip("netns", "pids", ns).split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(h -> {
                    h.destroyForcibly();
                    h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> h).join();
                });
            }
        }
        ip("netns", "del", ns);
    }

    /** The command prefix that runs a program inside {@code ns} ({@code ip netns exec} execs it: same pid). */
    static List<String> execPrefix(String ns) {
        return List.of("ip", "netns", "exec", ns);
    }

    private static String run(List<String> command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer within 30 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + String.join(" ", command), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }
}
