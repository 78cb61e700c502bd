package io.meridian.sim.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The nemesis schedule, drawn from the seed alone (not from anything the run observes), so the same
 * {@code --seed}, duration and cluster shape give the same schedule; report.json records it. Faults
 * come one at a time — each one is recovered before the next starts — so no region ever loses its
 * majority to two overlapping faults and the run can always converge; targets that depend on the
 * run (the current primary, a region's leader) are named by role and resolved when the fault starts.
 */
public final class NemesisPlan {

    /** What a step does; targets are resolved at run time. */
    public enum Kind { KILL, PAUSE, PARTITION_REGION, PARTITION_NODE, SWITCHOVER, PROMOTE }

    /**
     * One fault.
     *
     * @param atMs       when it starts, from the start of the load
     * @param kind       the fault
     * @param target     "leader:primary", "leader:r1", "node:r1-2", "region:primary", "region:r1", or
     *                   "next" (switchover/promote to the region after the primary)
     * @param durationMs how long it lasts before its recovery (restart, resume, heal); 0 for switchover
     * @param cutPrimary PROMOTE only: cut the old primary off first (else it is promoted over while it runs)
     */
    public record Step(long atMs, Kind kind, String target, long durationMs, boolean cutPrimary) {

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t_ms", atMs);
            m.put("fault", kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            m.put("target", target);
            m.put("duration_ms", durationMs);
            if (kind == Kind.PROMOTE) {
                m.put("cut_primary", cutPrimary);
            }
            return m;
        }
    }

    /** Faults end by this share of the run, leaving time for the last recovery before the load stops. */
    private static final double LAST_FAULT_END = 0.85;
    private static final long LONG_PAUSE_MS = 15_000;

    private NemesisPlan() {
    }

    /**
     * @param longPauses whether pauses may outlast the lease by far (15 s and more); only worth it
     *                   where a pause is a real SIGSTOP
     */
    public static List<Step> draw(long seed, long durationMs, int regions, int nodesPerRegion, boolean longPauses) {
        // Mixed with a constant so the schedule is not correlated with the workload's stream of the same seed.
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + 0x6E656D65L);
        long end = (long) (durationMs * LAST_FAULT_END);
        long t = Math.max(1000, durationMs / 12);
        List<Step> steps = new ArrayList<>();
        Kind[] kinds = Kind.values();
        while (true) {
            Kind kind = kinds[random.nextInt(kinds.length)];
            long duration = switch (kind) {
                case SWITCHOVER -> 0;
                case PAUSE -> longPauses && random.nextInt(3) == 0 ? LONG_PAUSE_MS + random.nextInt(3000)
                        : 1500 + random.nextInt(3500);
                case PROMOTE -> 4000 + random.nextInt(3000);
                default -> 1500 + random.nextInt(4500);
            };
            String target = switch (kind) {
                case KILL, PAUSE -> random.nextBoolean() ? "leader:" + region(random, regions)
                        : "node:r" + random.nextInt(regions) + "-" + (1 + random.nextInt(nodesPerRegion));
                case PARTITION_REGION -> "region:" + region(random, regions);
                case PARTITION_NODE -> "node:r" + random.nextInt(regions) + "-" + (1 + random.nextInt(nodesPerRegion));
                case SWITCHOVER, PROMOTE -> "next";
            };
            boolean cut = kind == Kind.PROMOTE && random.nextBoolean();
            // A switchover or promotion can take several seconds beyond its nominal duration.
            long budget = duration + (kind == Kind.SWITCHOVER || kind == Kind.PROMOTE ? 6000 : 0);
            if (t + budget > end) {
                break;
            }
            steps.add(new Step(t, kind, target, duration, cut));
            t += budget + 1000 + random.nextInt(2000);
        }
        return steps;
    }

    /** "primary" half the time (the interesting one), else a numbered region. */
    private static String region(Random random, int regions) {
        return random.nextBoolean() ? "primary" : "r" + random.nextInt(regions);
    }
}
