package io.meridian.sim.check;

import io.meridian.kv.KvCommand;
import io.meridian.sim.check.linear.Op;
import io.meridian.sim.check.linear.SecondaryRead;
import io.meridian.sim.check.linear.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-made histories around a promotion: eu was primary of epoch 1, us of epoch 2 from index 3.
 * Times are in ms (converted to the ops' nanoseconds by {@link #ms}).
 */
@Timeout(10)
class ReadChecksTest {

    private static final long NS = 1_000_000;

    /** us's final log: w1 at 1 and w2 at 2 (epoch 1), the epoch change at 3, w6 at 4 (epoch 2). */
    private static FinalLog finalLog() {
        List<LogEntry> entries = List.of(put(1, 1, 1), put(2, 1, 2),
                new LogEntry(3, 2, LogEntry.CONTROL, new byte[]{1}), put(6, 2, 4));
        return FinalLog.of(new RegionFinalState("us", "d", List.of(new WalView("us-1", entries))));
    }

    private static LogEntry put(int writeId, long epoch, long index) {
        return LogEntry.data(index, epoch, KvCommand.put("k", WriteRecord.valueFor(writeId, 16)));
    }

    private static Op write(int id, long fromMs, long toMs, Op.Outcome outcome, String region) {
        return Op.write(id, "c" + id, "k", "w" + id + ":", fromMs * NS, toMs * NS, outcome, region);
    }

    private static Op read(int id, String value, long fromMs, long toMs, String region) {
        return Op.read(id, "c" + id, "k", value, fromMs * NS, toMs * NS, Op.Outcome.OK, region);
    }

    private static TreeMap<Long, Long> firstAcks() {
        return new TreeMap<>(Map.of(1L, 10L, 2L, 2_000L));
    }

    private static ReadCheckResult check(List<Op> ops, List<StaleRead> stale, Map<Long, Long> discarded) {
        return ReadChecks.check(ops, stale, finalLog(), discarded, firstAcks(), NS);
    }

    @Test
    void deposedPrimaryServingAnOldValueAfterTheSuccessorWroteIsNotLinearizable() {
        List<Op> ops = List.of(write(1, 0, 10, Op.Outcome.OK, "eu"), write(2, 20, 30, Op.Outcome.OK, "eu"),
                write(6, 2_000, 2_010, Op.Outcome.OK, "us"), read(7, "w2:", 2_100, 2_110, "eu"));

        ReadCheckResult r = check(ops, List.of(), Map.of());

        assertThat(r.linear().verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(r.violationLines()).singleElement().asString().startsWith("NOT_LINEARIZABLE: ").contains("#7");
        assertThat(r.linearizabilityJson()).containsEntry("verdict", "violation").containsEntry("reads", 1L)
                .containsEntry("writes", 3L);
    }

    @Test
    void discardedAcknowledgedWriteIsUnknownAndItsEarlyReadIsAllowed() {
        // w5 was acked by eu and read there before the promotion, then discarded with eu's tail.
        List<Op> ops = List.of(write(1, 0, 10, Op.Outcome.OK, "eu"), write(2, 20, 30, Op.Outcome.OK, "eu"),
                write(5, 40, 50, Op.Outcome.OK, "eu"), read(8, "w5:", 60, 70, "eu"),
                write(6, 2_000, 2_010, Op.Outcome.OK, "us"), read(9, "w6:", 2_100, 2_110, "us"));

        ReadCheckResult r = check(ops, List.of(), Map.of(5L, 1L));

        assertThat(r.violationLines()).isEmpty();
        assertThat(r.linear().verdict()).isEqualTo(Verdict.OK);
        assertThat(r.discardedWriteReads()).isEqualTo(1);
    }

    @Test
    void discardedWriteServedAfterTheSuccessorsFirstAckIsAFencingFailure() {
        List<Op> ops = List.of(write(1, 0, 10, Op.Outcome.OK, "eu"), write(5, 40, 50, Op.Outcome.OK, "eu"),
                write(6, 2_000, 2_010, Op.Outcome.OK, "us"), read(8, "w5:", 2_001, 2_020, "eu"));

        ReadCheckResult r = check(ops, List.of(), Map.of(5L, 1L));

        assertThat(r.violationLines()).containsExactly("DISCARDED_WRITE_READ: read #8 of k on eu invoked at"
                + " t=2001ms returned w5: from epoch 1, discarded later, although epoch 2 had acknowledged a write"
                + " at t=2000ms");
        assertThat(r.linearizabilityJson()).containsEntry("verdict", "violation");
    }

    @Test
    void staleReadsAreJudgedOnlyOnReplicasHoldingAPrefixOfTheFinalLog() {
        List<StaleRead> stale = new ArrayList<>();
        // Consistent replica at 2:4 sees w6: fine.
        stale.add(new StaleRead(new SecondaryRead(read(10, "w6:", 3_000, 3_000, "jp-1#1"), 3, 4), 2, 4, 2, 4));
        // A replica whose index 3 is still epoch 1 held a divergent tail: its odd value is not judged.
        stale.add(new StaleRead(new SecondaryRead(read(11, "w5:", 3_000, 3_000, "jp-2#1"), 2, 3), 1, 3, 1, 3));
        // A replica past the final log's end diverged too.
        stale.add(new StaleRead(new SecondaryRead(read(12, "w5:", 3_000, 3_000, "jp-3#1"), 4, 5), 2, 5, 2, 5));

        ReadCheckResult r = check(List.of(), stale, Map.of());

        assertThat(r.violationLines()).isEmpty();
        assertThat(r.divergentReplicaReads()).isEqualTo(2);
        assertThat(r.secondaryJson()).containsEntry("stale_reads", 3L).containsEntry("divergent_replica_reads", 2L)
                .containsEntry("checked_reads", 1);
    }

    @Test
    void staleReadOfAValueNoWriteInTheLogCarriesIsAnAnomaly() {
        StaleRead odd = new StaleRead(new SecondaryRead(read(10, "w99:", 3_000, 3_000, "jp-1#1"), 3, 4), 2, 4, 2, 4);
        StaleRead back = new StaleRead(new SecondaryRead(read(11, "w1:", 3_001, 3_001, "jp-1#1"), 3, 4), 2, 4, 2, 4);

        ReadCheckResult r = check(List.of(), List.of(odd, back), Map.of());

        assertThat(r.secondary().verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(r.violationLines()).anySatisfy(l -> assertThat(l).startsWith("UNKNOWN_VALUE"))
                .anySatisfy(l -> assertThat(l).contains("#11"));
    }

    @Test
    void finalLogTellsPrefixesApart() {
        FinalLog log = finalLog();

        assertThat(log.isPrefix(0, 0)).isTrue();
        assertThat(log.isPrefix(1, 2)).isTrue();
        assertThat(log.isPrefix(1, 3)).isFalse();
        assertThat(log.isPrefix(2, 3)).isTrue();
        assertThat(log.isPrefix(2, 5)).isFalse();
        assertThat(log.holdsWrite(6)).isTrue();
        assertThat(log.holdsWrite(5)).isFalse();
        assertThat(log.order().indexOf("k", "w2:")).isEqualTo(2);
    }
}
