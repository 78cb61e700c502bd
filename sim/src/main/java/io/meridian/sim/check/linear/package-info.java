/**
 * Client-visible consistency checks over a run's operation history. Pure code: no threads, clocks
 * or I/O, so every check is deterministic and can run after the cluster is gone.
 *
 * <h2>Linearizability (primary path)</h2>
 * Record every write and every linearizable read as an {@link io.meridian.sim.check.linear.Op}
 * (invocation/completion on one nanosecond clock, outcome OK / FAIL / UNKNOWN), then:
 * <pre>{@code
 * LinearResult r = LinearChecker.check(ops);            // or check(ops, LinearOptions...)
 * r.verdict();          // OK, VIOLATION, UNKNOWN (search budget exceeded: never OK)
 * r.violationLines();   // "NOT_LINEARIZABLE: key k: ..." lines for the report's violations list
 * r.toJson();           // Map<String,Object> for report.json (Jackson serialises it as is)
 * }</pre>
 * Each violation ({@link io.meridian.sim.check.linear.LinearViolation}) names the op no
 * linearization can place, the longest linearization before it, and a window of at most 20 ops.
 *
 * <h2>Secondary reads</h2>
 * Stale reads are not linearizable by design; they must still be monotonic per client and scope,
 * and show a prefix of the log. The workload writes values in
 * {@link io.meridian.sim.check.linear.ValueFormat} ({@code "w<writeId>:..."}); after the run,
 * {@link io.meridian.sim.check.linear.WriteOrder} maps each applied write id to its key and
 * cluster-log index (from the final log), and
 * {@link io.meridian.sim.check.linear.SecondaryReadChecker#check} judges the
 * {@link io.meridian.sim.check.linear.SecondaryRead}s against it.
 */
package io.meridian.sim.check.linear;
