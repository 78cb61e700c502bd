package io.meridian.sim.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where this JVM's CPU went over the measured run, per group of threads (a thread's name with its
 * digits dropped: six nodes' {@code JRaft-FSMCaller-Disruptor-N} threads are one group), from the
 * kernel's own accounting in {@code /proc/self/task/}: user plus system time, in cores. It answers
 * "is the machine saturated, and by whom" for every run, where a sampling profiler needs a separate
 * run (and JFR's sampler cannot run next to JRaft's signal handler). Linux only; empty elsewhere.
 */
final class ThreadCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    /** USER_HZ: the unit of utime/stime in /proc on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, long[]> start;
    private final long startNanos;

    private ThreadCpu(Map<String, long[]> start, long startNanos) {
        this.start = start;
        this.startNanos = startNanos;
    }

    /** Starts measuring now. */
    static ThreadCpu start() {
        return new ThreadCpu(snapshot(), System.nanoTime());
    }

    /**
     * Cores used per thread group since {@link #start()}, largest first, groups under 0.5 % of a
     * core left out, plus {@code "total"}. Threads that started later count from zero; threads that
     * ended in between are missing (their time is lost with them).
     */
    Map<String, Double> coresByGroup() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, long[]> end = snapshot();
        Map<String, Double> byGroup = new HashMap<>();
        double total = 0;
        for (Map.Entry<String, long[]> e : end.entrySet()) {
            long[] before = start.get(e.getKey());
            long[] after = e.getValue();
            if (before != null && before[1] != after[1]) {
                before = null; // the thread id was reused by a thread that started later: count from zero
            }
            double cores = (after[0] - (before == null ? 0 : before[0])) / TICKS_PER_SECOND / seconds;
            byGroup.merge(group(e.getKey()), cores, Double::sum);
            total += cores;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("total", round(total));
        byGroup.entrySet().stream().filter(e -> e.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), round(e.getValue())));
        return out;
    }

    /** Per thread ("tid name" as key): {user + system ticks, start time} (the start time tells a reused tid). */
    private static Map<String, long[]> snapshot() {
        Map<String, long[]> out = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return out;
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close);
                    // Fields after the name: state is field 3; utime 14, stime 15, starttime 22 (1-based).
                    String[] f = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    out.put(task.getFileName() + " " + name, new long[] {ticks, Long.parseLong(f[19])});
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked: nothing to count
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    static String group(String tidAndName) {
        String name = tidAndName.substring(tidAndName.indexOf(' ') + 1);
        return name.replaceAll("[0-9]+", "N").trim();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
