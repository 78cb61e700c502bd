package io.meridian.sim.scenario;

import java.util.List;
import java.util.function.Supplier;

/** The built-in scenarios by name. {@code all} is handled by the runner (each in turn). */
public final class Scenarios {

    public static final String ALL = "all";

    private static final List<Supplier<Scenario>> BUILT_IN = List.of(SteadyScenario::new, LeaderCrashScenario::new,
            RegionPartitionScenario::new, SwitchoverScenario::new, FailoverScenario::new,
            PromoteDuringLeaseScenario::new, DuelingPromotionsScenario::new, NemesisScenario::new);

    /** Run only when named: not faults to check but a measurement (not part of {@code all}). */
    private static final List<Supplier<Scenario>> ON_DEMAND = List.of(SweepScenario::new);

    private Scenarios() {
    }

    /** Names of the built-ins, in the order {@code all} runs them. */
    public static List<String> names() {
        return BUILT_IN.stream().map(s -> s.get().name()).toList();
    }

    /** A fresh built-in scenario; throws IllegalArgumentException listing the known names. */
    public static Scenario byName(String name) {
        return java.util.stream.Stream.concat(BUILT_IN.stream(), ON_DEMAND.stream()).map(Supplier::get)
                .filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--scenario: unknown scenario '" + name + "'; known: "
                        + String.join(", ", names()) + ", sweep, " + ALL));
    }
}
