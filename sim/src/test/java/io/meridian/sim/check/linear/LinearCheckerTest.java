package io.meridian.sim.check.linear;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.sim.check.linear.LinearViolation.Role;
import io.meridian.sim.check.linear.Op.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class LinearCheckerTest {

    /** A hand-written history of key "k"; ids are given explicitly so assertions can name ops. */
    private static final class H {
        final List<Op> ops = new ArrayList<>();

        H w(long id, String client, String value, long invoke, long complete) {
            ops.add(Op.write(id, client, "k", value, invoke, complete, Outcome.OK, "eu"));
            return this;
        }

        H r(long id, String client, String observed, long invoke, long complete) {
            ops.add(Op.read(id, client, "k", observed, invoke, complete, Outcome.OK, "eu"));
            return this;
        }

        H add(Op op) {
            ops.add(op);
            return this;
        }

        LinearResult check() {
            return LinearChecker.check(ops);
        }

        LinearViolation violation() {
            LinearResult result = check();
            assertThat(result.verdict()).isEqualTo(Verdict.VIOLATION);
            assertThat(result.violations()).hasSize(1);
            return result.violations().get(0);
        }
    }

    private static Op unknownWrite(long id, String value, long invoke, long complete) {
        return Op.write(id, "u", "k", value, invoke, complete, Outcome.UNKNOWN, "eu");
    }

    // ---- linearizable histories ----

    @Test
    void sequentialHistoryIsLinearizable() {
        LinearResult r = new H().r(1, "c1", null, 0, 5).w(2, "c1", "a", 10, 20).r(3, "c2", "a", 30, 40)
                .w(4, "c2", "b", 50, 60).r(5, "c1", "b", 70, 80).check();

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.ok()).isTrue();
        assertThat(r.ops()).isEqualTo(5);
        assertThat(r.keys()).isEqualTo(1);
        assertThat(r.checkedOps()).isEqualTo(5);
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void concurrentOverlappingWritesAndReadsAreLinearizable() {
        // Only order: W2(b) R3(b) W1(a) R4(a) R5(a); the search must undo its greedy first choice of W1.
        LinearResult r = new H().w(1, "c1", "a", 0, 100).w(2, "c2", "b", 10, 90).r(3, "c3", "b", 20, 30)
                .r(4, "c3", "a", 40, 50).r(5, "c4", "a", 110, 120).check();

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void readConcurrentWithAWriteMaySeeEitherValue() {
        LinearResult r = new H().w(1, "c1", "a", 0, 10).w(2, "c1", "b", 20, 60).r(3, "c2", "a", 25, 30)
                .r(4, "c3", "b", 30, 40).r(5, "c2", "b", 45, 50).check();

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void equalTimestampsCountAsConcurrent() {
        // Clock granularity can stamp a completion and the next invocation alike: not an ordering.
        LinearResult r = new H().w(1, "c1", "a", 0, 10).r(2, "c2", null, 10, 20).check();

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void unknownWriteThatTookEffectLateIsLinearizable() {
        LinearResult r = new H().w(1, "c1", "a", 0, 10).add(unknownWrite(2, "b", 20, Op.NEVER))
                .r(3, "c2", "a", 30, 40).r(4, "c2", "b", 1_000, 1_010).r(5, "c3", "b", 2_000, 2_010).check();

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.checkedOps()).isEqualTo(5);
    }

    @Test
    void unknownWriteThatNeverTookEffectIsLinearizable() {
        H h = new H().w(1, "c1", "a", 0, 10).add(unknownWrite(2, "b", 20, 25)).r(3, "c2", "a", 30, 40)
                .r(4, "c2", "a", 50, 60);

        LinearResult r = h.check();
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.checkedOps()).as("the unread unknown write is pruned").isEqualTo(3);

        // Without pruning, the search itself must leave it unlinearized.
        KeyHistory unpruned = KeyHistory.prepare("k", h.ops, null, false);
        assertThat(unpruned.size()).isEqualTo(4);
        assertThat(LinearChecker.checkKey(unpruned, LinearOptions.defaults()).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void failedOpsAndUnknownReadsAreIgnored() {
        LinearResult r = new H().w(1, "c1", "a", 0, 10)
                .add(Op.write(2, "c2", "k", "b", 20, 30, Outcome.FAIL, "eu"))
                .add(Op.read(3, "c3", "k", "garbage", 40, Op.NEVER, Outcome.UNKNOWN, "eu"))
                .add(Op.read(4, "c3", "k", "more garbage", 40, 50, Outcome.FAIL, "eu"))
                .r(5, "c1", "a", 60, 70).check();

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.ops()).isEqualTo(5);
        assertThat(r.checkedOps()).isEqualTo(2);
    }

    @Test
    void initialValueComesFromOptions() {
        List<Op> ops = new H().r(1, "c1", "seed", 0, 10).ops;

        assertThat(LinearChecker.check(ops).verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(LinearChecker.check(ops, LinearOptions.defaults().withInitialValues(Map.of("k", "seed")))
                .verdict()).isEqualTo(Verdict.OK);
    }

    // ---- non-linearizable histories ----

    @Test
    void staleReadIsAViolationNamingTheOverwritingWrite() {
        LinearViolation v = new H().w(1, "c1", "a", 0, 10).w(2, "c1", "b", 20, 30).r(3, "c2", "a", 40, 50)
                .violation();

        assertThat(v.key()).isEqualTo("k");
        assertThat(v.failingOp().id()).isEqualTo(3);
        assertThat(v.linearizedPrefixOps()).isEqualTo(2);
        assertThat(v.possibleValues()).containsExactly("b");
        assertThat(v.windowIds()).containsExactly(1L, 2L, 3L);
        assertThat(roleOf(v, 2)).isEqualTo(Role.LINEARIZED);
        assertThat(roleOf(v, 3)).isEqualTo(Role.FAILING);
        assertThat(v.description()).contains("#3", "Stale read or lost update: write #2 of 'b'");
    }

    @Test
    void lostUpdateIsAViolationAtTheFirstReadMissingIt() {
        // c1's write of b is acknowledged, then two readers keep seeing a: b was lost.
        LinearViolation v = new H().w(1, "c1", "a", 0, 10).r(2, "c2", "a", 12, 18).w(3, "c1", "b", 20, 30)
                .r(4, "c2", "a", 40, 50).r(5, "c3", "a", 60, 70).violation();

        assertThat(v.failingOp().id()).isEqualTo(4);
        assertThat(v.windowIds()).contains(3L, 4L);
        assertThat(roleOf(v, 3)).isEqualTo(Role.LINEARIZED);
        assertThat(v.description()).contains("write #3 of 'b' was acknowledged at 30");
    }

    @Test
    void readOfAValueNeverWrittenIsAViolation() {
        LinearViolation v = new H().w(1, "c1", "a", 0, 10).r(2, "c2", "z", 20, 30).violation();

        assertThat(v.failingOp().id()).isEqualTo(2);
        assertThat(v.possibleValues()).containsExactly("a");
        assertThat(v.description()).contains("Read of a value never written: 'z'");
    }

    @Test
    void readOfAFailedWriteIsAViolation() {
        LinearViolation v = new H().w(1, "c1", "a", 0, 10)
                .add(Op.write(2, "c1", "k", "b", 20, 30, Outcome.FAIL, "eu")).r(3, "c2", "b", 40, 50).violation();

        assertThat(v.failingOp().id()).isEqualTo(3);
        assertThat(roleOf(v, 2)).isEqualTo(Role.DROPPED);
        assertThat(v.description()).contains("only written by #2, which FAILED");
    }

    @Test
    void readFromTheFutureIsAViolation() {
        // The read returns a value whose write starts only after the read completed.
        LinearViolation v = new H().w(1, "c1", "a", 0, 10).r(2, "c2", "b", 20, 30).w(3, "c1", "b", 40, 50)
                .violation();

        assertThat(v.failingOp().id()).isEqualTo(2);
        assertThat(v.windowIds()).containsExactly(1L, 2L, 3L);
        assertThat(roleOf(v, 3)).isEqualTo(Role.PENDING);
        assertThat(v.description()).contains("Read from the future", "#3");
    }

    @Test
    void unknownWriteCannotTakeEffectBeforeItsInvocation() {
        LinearViolation v = new H().r(1, "c2", "b", 0, 10).add(unknownWrite(2, "b", 20, Op.NEVER)).violation();

        assertThat(v.failingOp().id()).isEqualTo(1);
        assertThat(v.description()).contains("Read from the future");
    }

    @Test
    void windowIsBoundedAndKeepsTheOpsThatMatter() {
        // A long stale read (#3) overlapping 60 sequential ops of another client.
        H h = new H().w(1, "c1", "a", 0, 10).w(2, "c1", "b", 20, 30).r(3, "c2", "a", 40, 10_000);
        for (int i = 0; i < 60; i++) {
            long t = 100 + 100L * i;
            if (i % 2 == 0) {
                h.w(100 + i, "c3", "x" + i, t, t + 10);
            } else {
                h.r(100 + i, "c3", "x" + (i - 1), t, t + 10);
            }
        }

        LinearViolation v = h.violation();
        assertThat(v.failingOp().id()).isEqualTo(3);
        assertThat(v.window()).hasSize(LinearOptions.DEFAULT_MAX_WINDOW_OPS);
        assertThat(v.windowIds()).contains(1L, 2L, 3L, 100L, 159L);
        assertThat(v.window()).filteredOn(LinearViolation.WindowOp::concurrent).hasSize(17);

        LinearViolation small = LinearChecker.check(h.ops, LinearOptions.defaults().withMaxWindowOps(3))
                .violations().get(0);
        assertThat(small.windowIds()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void exhaustedBudgetIsUnknownNeverOk() {
        // 30 concurrent writes before a stale read: proving it unplaceable means trying every subset
        // of them, which is what the budget is for.
        H h = new H().w(1, "c1", "a", 0, 10).w(2, "c1", "b", 20, 30);
        for (int i = 0; i < 30; i++) {
            h.w(100 + i, "x" + i, "x" + i, 35, 1_000);
        }
        h.r(3, "c2", "a", 40, 50);

        LinearResult r = LinearChecker.check(h.ops, LinearOptions.defaults().withMaxStepsPerKey(100_000));

        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.ok()).isFalse();
        assertThat(r.steps()).isEqualTo(100_000);
        assertThat(r.unknownKeys()).containsExactly("k");
        assertThat(r.violations()).isEmpty();
        assertThat(r.violationLines()).singleElement().asString().startsWith("LINEARIZABILITY_UNKNOWN");
    }

    @Test
    void keysAreCheckedIndependently() {
        List<Op> ops = new ArrayList<>();
        ops.add(Op.write(1, "c1", "k1", "a", 0, 10, Outcome.OK, "eu"));
        ops.add(Op.write(2, "c1", "k2", "b", 20, 30, Outcome.OK, "eu"));
        ops.add(Op.read(3, "c2", "k1", "a", 40, 50, Outcome.OK, "eu"));
        ops.add(Op.read(4, "c2", "k2", "a", 40, 50, Outcome.OK, "eu")); // a is k1's value, not k2's

        LinearResult r = LinearChecker.check(ops);

        assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(r.keys()).isEqualTo(2);
        assertThat(r.violations()).singleElement().satisfies(v -> {
            assertThat(v.key()).isEqualTo("k2");
            assertThat(v.failingOp().id()).isEqualTo(4);
        });
        assertThat(r.violationLines()).singleElement().asString().startsWith("NOT_LINEARIZABLE: key k2:");
    }

    @Test
    void resultSerialisesToJson() throws Exception {
        LinearResult r = new H().w(1, "c1", "a", 0, 10).w(2, "c1", "b", 20, 30).r(3, "c2", "a", 40, 50)
                .add(unknownWrite(4, "a", 60, Op.NEVER)).check();

        Map<String, Object> json = r.toJson();
        assertThat(json).containsEntry("verdict", "violation").containsEntry("ops", 4L).containsEntry("keys", 1)
                .containsEntry("violations_total", 1);
        String text = new ObjectMapper().writeValueAsString(json);
        assertThat(text).contains("\"failing_op\":{\"id\":3", "\"role\":\"failing\"", "\"complete_ns\":null",
                "\"linearized_at\":2");
    }

    @Test
    void okOpThatNeverCompletedIsRejected() {
        assertThatThrownBy(() -> Op.read(1, "c", "k", null, 5, Op.NEVER, Outcome.OK, "eu"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never completed");
        assertThatThrownBy(() -> Op.read(1, "c", "k", null, 5, 4, Outcome.OK, "eu"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Role roleOf(LinearViolation v, long id) {
        return v.window().stream().filter(w -> w.op().id() == id).findFirst().orElseThrow().role();
    }

    @Test
    void totalStepBudgetLeavesTheRemainingKeysUnknown() {
        List<Op> ops = new ArrayList<>();
        for (String key : List.of("a", "b", "c")) {
            ops.add(Op.write(ops.size(), "c", key, "v", 0, 10, Outcome.OK, "eu"));
            ops.add(Op.read(ops.size(), "c", key, "v", 20, 30, Outcome.OK, "eu"));
        }

        LinearResult r = LinearChecker.check(ops, LinearOptions.defaults(), 1);

        assertThat(r.verdict()).as("key a used the whole budget").isEqualTo(Verdict.UNKNOWN);
        assertThat(r.unknownKeys()).containsExactly("b", "c");
        assertThat(r.violationLines()).singleElement().asString().startsWith("LINEARIZABILITY_UNKNOWN");
        assertThat(LinearChecker.check(ops, LinearOptions.defaults(), Long.MAX_VALUE).verdict()).isEqualTo(Verdict.OK);
    }
}
