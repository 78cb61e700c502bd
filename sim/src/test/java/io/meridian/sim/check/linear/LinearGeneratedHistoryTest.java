package io.meridian.sim.check.linear;

import io.meridian.sim.check.linear.Op.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LinearGeneratedHistoryTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void millionOperationLinearizableHistoryPasses() {
        long t0 = System.nanoTime();
        // 1000 keys x 4 concurrent clients x 250 ops; 1% failed, 2% unknown.
        List<Op> history = GeneratedHistories.linearizable(42, 1000, 4, 250, 0.01, 0.02);
        long t1 = System.nanoTime();

        LinearResult result = LinearChecker.check(history);
        long t2 = System.nanoTime();

        System.out.printf("generated %d ops in %d ms; checked %d keys (%d ops searched, %d steps) in %d ms%n",
                history.size(), (t1 - t0) / 1_000_000, result.keys(), result.checkedOps(), result.steps(),
                (t2 - t1) / 1_000_000);
        assertThat(result.verdict()).isEqualTo(Verdict.OK);
        assertThat(result.ops()).isEqualTo(1_000_000);
        assertThat(result.keys()).isEqualTo(1000);
        assertThat(result.unknownKeys()).isEmpty();
        assertThat(result.checkedOps()).isLessThan(1_000_000).isGreaterThan(900_000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void staleReadPlantedInAGeneratedHistoryIsFound() {
        List<Op> history = new ArrayList<>(GeneratedHistories.linearizable(7, 50, 4, 250, 0.01, 0.02));
        assertThat(LinearChecker.check(history).verdict()).isEqualTo(Verdict.OK);

        // Pick a read of key k7 late in its history; make it return a value overwritten before it began.
        List<Op> ofKey = history.stream().filter(op -> op.key().equals("k7")).toList();
        Op read = null;
        Op overwriting = null;
        Op stale = null;
        for (Op candidate : ofKey) {
            if (!candidate.isRead() || candidate.outcome() != Outcome.OK || candidate.invokeNanos() < 5_000) {
                continue;
            }
            Op latest = null;
            for (Op w : ofKey) {
                if (w.isWrite() && w.outcome() == Outcome.OK && w.completeNanos() < candidate.invokeNanos()
                        && (latest == null || w.completeNanos() > latest.completeNanos())) {
                    latest = w;
                }
            }
            Op acked = latest;
            Op older = ofKey.stream().filter(w -> w.isWrite() && w.outcome() == Outcome.OK && acked != null
                    && w.completeNanos() < acked.invokeNanos()).reduce((a, b) -> b).orElse(null);
            if (older != null) {
                read = candidate;
                overwriting = acked;
                stale = older;
                break;
            }
        }
        assertThat(read).as("a suitable read").isNotNull();
        Op planted = Op.read(read.id(), read.client(), read.key(), stale.value(), read.invokeNanos(),
                read.completeNanos(), Outcome.OK, read.region());
        history.set(history.indexOf(read), planted);

        LinearResult result = LinearChecker.check(history);

        assertThat(result.verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(result.violations()).singleElement().satisfies(v -> {
            assertThat(v.key()).isEqualTo("k7");
            assertThat(v.failingOp()).isEqualTo(planted);
            assertThat(v.window().size()).isLessThanOrEqualTo(LinearOptions.DEFAULT_MAX_WINDOW_OPS);
        });
        LinearViolation v = result.violations().get(0);
        assertThat(v.windowIds()).contains(planted.id(), overwriting.id(), stale.id());
        assertThat(v.description()).contains("Stale read or lost update: write #" + overwriting.id());
    }
}
