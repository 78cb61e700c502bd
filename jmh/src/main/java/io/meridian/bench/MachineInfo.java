package io.meridian.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What a benchmark result means nothing without: cores, memory and the exact JVM. */
final class MachineInfo {

    private MachineInfo() {
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The MemTotal line of /proc/meminfo, e.g. "24567812 kB", or "unknown" off Linux. */
    static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> l.substring("MemTotal:".length()).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The output of {@code <java> -version} for the JVM that ran the benchmarks, on one line. */
    static String javaVersion(String javaExecutable) {
        try {
            Process p = new ProcessBuilder(javaExecutable, "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return String.join("; ", out.strip().lines().toList());
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    static String describe(String javaExecutable) {
        List<String> lines = List.of(
                "- Cores (nproc): " + cores(),
                "- MemTotal: " + memTotal(),
                "- `java -version`: " + javaVersion(javaExecutable));
        return String.join("\n", lines);
    }
}
