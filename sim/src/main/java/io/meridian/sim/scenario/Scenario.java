package io.meridian.sim.scenario;

/**
 * What happens to the cluster during a run, while the workload writes. A scenario runs on its own
 * thread from the start of the load, announces every fault through {@link ScenarioContext#event}
 * and must fit in the configured duration (the runner keeps the load going until then).
 */
public interface Scenario {

    String name();

    /** Data regions the scenario needs; the CLI refuses fewer (exit 2), {@code all} skips it. */
    default int minRegions() {
        return 2;
    }

    void run(ScenarioContext ctx) throws Exception;
}
