package io.meridian.sim.check;

import io.meridian.kv.KvCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.meridian.sim.check.ClusterFixture.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class CheckerTest {

    @Test
    void cleanRunHasNoViolations() {
        ClusterFixture f = ClusterFixture.clean(10);
        f.history.add(WriteRecord.notAcked(11, "k11", "eu", 100, 200, WriteRecord.Status.FAILED,
                new IllegalStateException("not primary")));

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(), true);

        assertThat(r.violations()).isEmpty();
        assertThat(r.passed()).isTrue();
        assertThat(r.converged()).isTrue();
        assertThat(r.lostAckedWrites()).isEmpty();
        assertThat(r.digests()).containsEntry("eu", "d1").containsEntry("us", "d1");
    }

    @Test
    void ackedWriteMissingEverywhereIsLost() {
        ClusterFixture f = ClusterFixture.clean(9);
        f.history.add(WriteRecord.acked(10, "k10", "eu", 95, 100, 1, 10));

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(), true);

        assertThat(r.lostAckedWrites()).containsExactly(10);
        assertThat(r.violations()).containsExactly(
                "LOST_ACKED_WRITE: write 10 acked at 1:10 by eu is missing from region eu,us");
    }

    @Test
    void ackedWriteReplacedByAnotherEntryIsLostFromThatRegion() {
        ClusterFixture f = ClusterFixture.clean(4);
        f.ackedWrite(5, "eu", 1, 5, 50, "eu");
        f.appendToRegion("us", entry(77, 1, 5));

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(), true);

        assertThat(r.lostAckedWrites()).containsExactly(5);
        assertThat(r.violations()).containsExactly(
                "LOST_ACKED_WRITE: write 5 acked at 1:5 by eu is missing from region us");
    }

    @Test
    void entryWithTheWrongEpochDoesNotCount() {
        ClusterFixture f = ClusterFixture.clean(4);
        f.ackedWrite(5, "eu", 1, 5, 50, "eu");
        f.appendToRegion("us", entry(5, 2, 5));

        assertThat(Checker.check(f.history, f.finalStates(), List.of(), true).lostAckedWrites()).containsExactly(5);
    }

    @Test
    void whenNotConvergedOnlyTheFinalPrimaryDecidesLoss() {
        ClusterFixture f = ClusterFixture.clean(4).digest("us", "d2");
        f.ackedWrite(5, "eu", 1, 5, 50, "eu");

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(), true, "eu");

        assertThat(r.converged()).isFalse();
        assertThat(r.lostAckedWrites()).isEmpty();
        assertThat(r.violations()).containsExactly("NOT_CONVERGED: digests eu=d1 us=d2");
        // Named differently, the same run loses write 5.
        assertThat(Checker.check(f.history, f.finalStates(), List.of(), true, "us").lostAckedWrites())
                .containsExactly(5);
        // Inferred: eu's log is longer in the same epoch, so eu is taken as the final primary.
        assertThat(Checker.check(f.history, f.finalStates(), List.of(), true).finalPrimaryRegion()).isEqualTo("eu");
    }

    @Test
    void unknownFinalPrimaryIsRejected() {
        ClusterFixture f = ClusterFixture.clean(1);
        assertThatThrownBy(() -> Checker.check(f.history, f.finalStates(), List.of(), true, "ap"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ap");
    }

    @Test
    void nullDigestIsNotConverged() {
        ClusterFixture f = ClusterFixture.clean(1).digest("eu", null);

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(), true);

        assertThat(r.converged()).isFalse();
        assertThat(r.violations()).containsExactly("NOT_CONVERGED: digests eu=null us=d1");
    }

    @Test
    void writeAtTwoIndexesIsADuplicateApply() {
        ClusterFixture f = ClusterFixture.clean(10);
        f.appendToRegion("us", entry(3, 1, 11));

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(), true);

        assertThat(r.duplicateApplies()).containsExactly(3);
        assertThat(r.violations()).containsExactly("DUPLICATE_APPLY: write 3 appears at indexes [3, 11] in region us");
    }

    @Test
    void oldEpochAckAfterANewerEpochAckIsAFencedWrite() {
        ClusterFixture f = ClusterFixture.clean(3);
        f.ackedWrite(4, "us", 2, 4, 1_000, "eu", "us");
        f.ackedWrite(5, "eu", 1, 5, 1_500, "eu", "us");
        f.ackedWrite(6, "us", 2, 6, 1_600, "eu", "us");

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(), true);

        assertThat(r.fencedWritesAccepted()).containsExactly(5);
        assertThat(r.violations()).containsExactly("FENCED_WRITE_ACCEPTED: deposed primary eu acked write 5 at 1:5"
                + " at t=1500ms, after us acked write 4 of epoch 2 at t=1000ms");
        assertThat(r.epochAcks().minHandoverGapMs()).isEqualTo(-500);
    }

    @Test
    void cleanHandoverReportsEachEpochsAcknowledgerAndTheGap() {
        Failover run = new Failover();
        DivergentTail tail = new DivergentTail("eu", List.of(entry(9, 1, 9), entry(10, 1, 10)));

        CheckResult r = Checker.check(run.f.history, run.f.finalStates(), List.of(tail), false);

        assertThat(r.violations()).isEmpty();
        assertThat(r.epochAcks().epochs()).extracting(EpochAcks.Epoch::epoch, EpochAcks.Epoch::regions,
                EpochAcks.Epoch::acks, EpochAcks.Epoch::firstAckMs, EpochAcks.Epoch::lastAckMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, List.of("eu"), 10L, 10L, 100L),
                        org.assertj.core.groups.Tuple.tuple(2L, List.of("us"), 2L, 2_000L, 2_010L));
        assertThat(r.epochAcks().singlePrimaryPerEpoch()).isTrue();
        assertThat(r.epochAcks().minHandoverGapMs()).isEqualTo(1_900);
        assertThat(r.epochAcks().toJson()).containsEntry("fenced_writes_accepted", 0)
                .containsEntry("checked", true);
    }

    @Test
    void twoRegionsAcknowledgingTheSameEpochIsASplitBrain() {
        ClusterFixture f = ClusterFixture.clean(3);
        // us acknowledges in epoch 1 too, interleaved in time with eu: no ack is "after a newer epoch".
        f.ackedWrite(4, "us", 1, 4, 35, "eu", "us");
        f.ackedWrite(5, "eu", 1, 5, 40, "eu", "us");

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(), true);

        assertThat(r.fencedWritesAccepted()).isEmpty();
        assertThat(r.epochAcks().singlePrimaryPerEpoch()).isFalse();
        assertThat(r.violations()).containsExactly(
                "TWO_PRIMARIES_IN_EPOCH: epoch 1 was acknowledged by regions {eu=4, us=1} (region=writes)");
    }

    @Test
    void deposedPrimaryAckJustAfterTheSuccessorsFirstAckIsCaughtToTheMillisecond() {
        ClusterFixture f = ClusterFixture.clean(3);
        f.ackedWrite(4, "us", 2, 4, 1_000, "eu", "us");
        f.ackedWrite(5, "eu", 1, 5, 1_000, "eu", "us");
        f.ackedWrite(6, "eu", 1, 6, 1_001, "eu", "us");

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(), true);

        assertThat(r.fencedWritesAccepted()).as("an ack at the same millisecond is not provably later")
                .containsExactly(6);
        assertThat(r.epochAcks().minHandoverGapMs()).isEqualTo(-1);
    }

    @Test
    void writeRefusedAsNotAppliedButFoundInTheLogIsALie() {
        ClusterFixture f = ClusterFixture.clean(3);
        f.history.add(WriteRecord.notAcked(4, "k4", "eu", 30, 35, WriteRecord.Status.FAILED,
                new IllegalStateException("not leader")));
        f.appendToRegion("eu", entry(4, 1, 4));
        f.appendToRegion("us", entry(4, 1, 4));
        f.history.add(WriteRecord.notAcked(5, "k5", "eu", 30, 35, WriteRecord.Status.FAILED,
                new IllegalStateException("fenced")));
        DivergentTail tail = new DivergentTail("eu", List.of(entry(5, 1, 5)));

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(tail), false);

        assertThat(r.failedWritesApplied()).containsExactly(4, 5);
        assertThat(r.violations()).contains(
                "FAILED_WRITE_APPLIED: write 4 sent to eu failed with 'IllegalStateException: not leader' yet is in the log");
    }

    @Test
    void fencingLooksAtEveryHigherEpoch() {
        ClusterFixture f = ClusterFixture.clean(1);
        f.ackedWrite(2, "ap", 3, 2, 500, "eu", "us");
        f.ackedWrite(3, "us", 2, 3, 700, "eu", "us");

        assertThat(Checker.check(f.history, f.finalStates(), List.of(), true).fencedWritesAccepted())
                .containsExactly(3);
    }

    @Test
    void walGapIsReportedAndImageInstalledWalIsNot() {
        ClusterFixture f = ClusterFixture.clean(10);
        f.wal("us", "us-2").remove(4);
        // eu-2 installed an image at 6: its WAL starts later, which is no gap.
        f.wal("eu", "eu-2").subList(0, 5).clear();

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(), true);

        assertThat(r.walGaps()).containsExactly("node us-2 jumps from 4 to 6");
        assertThat(r.violations()).containsExactly("WAL_GAP: node us-2 jumps from 4 to 6");
        assertThat(r.lostAckedWrites()).as("us-1 still holds write 5").isEmpty();
    }

    @Test
    void indexGoingBackIsAGap() {
        ClusterFixture f = ClusterFixture.clean(3);
        f.appendToNode("eu", "eu-1", entry(99, 1, 2));

        assertThat(Checker.check(f.history, f.finalStates(), List.of(), true).walGaps())
                .containsExactly("node eu-1 goes back from 3 to 2");
    }

    @Test
    void writesCoveredByAnInstalledImageAreNotLost() {
        ClusterFixture f = ClusterFixture.clean(10);
        f.wal("us", "us-1").subList(0, 5).clear();
        f.wal("us", "us-2").subList(0, 5).clear();
        f.wal("eu", "eu-1").subList(0, 5).clear();
        f.wal("eu", "eu-2").subList(0, 5).clear();

        assertThat(Checker.check(f.history, f.finalStates(), List.of(), true).violations()).isEmpty();
    }

    @Test
    void failoverWithMatchingDivergentTailPassesAndReportsTheLoss() {
        Failover run = new Failover();
        DivergentTail tail = new DivergentTail("eu", List.of(entry(9, 1, 9), entry(10, 1, 10),
                new LogEntry(11, 1, LogEntry.CONTROL, new byte[]{1, 2})));

        CheckResult r = Checker.check(run.f.history, run.f.finalStates(), List.of(tail), false);

        assertThat(r.violations()).isEmpty();
        assertThat(r.lostAckedWrites()).containsExactly(9, 10);
        assertThat(r.exportedWriteIds()).containsExactly(9, 10);
        assertThat(r.divergentTailMismatch()).isFalse();
    }

    @Test
    void failoverWithIncompleteDivergentTailIsAMismatch() {
        Failover run = new Failover();
        DivergentTail tail = new DivergentTail("eu", List.of(entry(9, 1, 9)));

        CheckResult r = Checker.check(run.f.history, run.f.finalStates(), List.of(tail), false);

        assertThat(r.divergentTailMismatch()).isTrue();
        assertThat(r.violations()).containsExactly("DIVERGENT_TAIL_MISMATCH: acked-but-missing {9,10} != exported {9}");
    }

    @Test
    void divergentTailExportingAWriteThatSurvivedIsAMismatch() {
        Failover run = new Failover();
        DivergentTail tail = new DivergentTail("eu", List.of(entry(8, 1, 8), entry(9, 1, 9), entry(10, 1, 10)));

        assertThat(Checker.check(run.f.history, run.f.finalStates(), List.of(tail), false).violations())
                .containsExactly("DIVERGENT_TAIL_MISMATCH: acked-but-missing {9,10} != exported {8,9,10}");
    }

    @Test
    void exportedWriteTheClientNeverSawAckedIsNotAMismatch() {
        Failover run = new Failover();
        run.f.history.add(WriteRecord.notAcked(13, "k13", "eu", 95, 140, WriteRecord.Status.UNKNOWN,
                new RuntimeException("timeout")));
        DivergentTail tail = new DivergentTail("eu", List.of(entry(9, 1, 9), entry(10, 1, 10), entry(13, 1, 11)));

        CheckResult r = Checker.check(run.f.history, run.f.finalStates(), List.of(tail), false);

        assertThat(r.violations()).isEmpty();
        assertThat(r.exportedWriteIds()).containsExactly(9, 10, 13);
    }

    @Test
    void lossWithoutAFailoverIsAViolationEvenIfExported() {
        Failover run = new Failover();
        DivergentTail tail = new DivergentTail("eu", List.of(entry(9, 1, 9), entry(10, 1, 10)));

        CheckResult r = Checker.check(run.f.history, run.f.finalStates(), List.of(tail), true);

        assertThat(r.violations()).containsExactly(
                "LOST_ACKED_WRITE: write 9 acked at 1:9 by eu is missing from region eu,us",
                "LOST_ACKED_WRITE: write 10 acked at 1:10 by eu is missing from region eu,us");
    }

    @Test
    void violationLinesAreCappedPerKind() {
        ClusterFixture f = ClusterFixture.clean(1);
        for (int i = 2; i <= 61; i++) {
            f.history.add(WriteRecord.acked(i, "k" + i, "eu", 0, 1, 1, i));
        }

        CheckResult r = Checker.check(f.history, f.finalStates(), List.of(), true);

        assertThat(r.lostAckedWrites()).hasSize(60);
        assertThat(r.violations()).hasSize(Checker.MAX_MESSAGES_PER_KIND + 1)
                .last().isEqualTo("LOST_ACKED_WRITE: ... and 10 more");
    }

    @Test
    void foreignPayloadsAreIgnored() {
        ClusterFixture f = ClusterFixture.clean(3);
        f.appendToRegion("eu", LogEntry.data(4, 1, KvCommand.put("other", "no id here")));
        f.appendToRegion("us", LogEntry.data(4, 1, KvCommand.put("other", "no id here")));
        f.appendToRegion("eu", LogEntry.data(5, 1, KvCommand.put("other", "no id here")));
        f.appendToRegion("us", LogEntry.data(5, 1, KvCommand.put("other", "no id here")));

        assertThat(Checker.check(f.history, f.finalStates(), List.of(), true).violations()).isEmpty();
    }

    /**
     * eu was primary in epoch 1 and acked writes 1..10; us had received 1..8 when eu died, took
     * over in epoch 2 and acked writes 11 and 12 at indexes 9 and 10. eu rejoined as secondary.
     */
    private static final class Failover {
        final ClusterFixture f = ClusterFixture.clean(8);

        Failover() {
            f.history.add(WriteRecord.acked(9, "k9", "eu", 85, 90, 1, 9));
            f.history.add(WriteRecord.acked(10, "k10", "eu", 95, 100, 1, 10));
            f.ackedWrite(11, "us", 2, 9, 2_000, "eu", "us");
            f.ackedWrite(12, "us", 2, 10, 2_010, "eu", "us");
        }
    }
}
