package io.meridian.xregion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LagAnatomyTest {

    @Test
    void stagesOfOneBatchAddUpToItsLag() {
        LagAnatomy anatomy = new LagAnatomy();
        long proposedMs = 1_000_000;
        // read 2 ms after the proposal, sent 0.5 ms later, received 30 ms later,
        // committed 1.5 ms after receipt, applied 0.2 ms after that.
        long read = proposedMs * 1000 + 2_000;
        long sent = read + 500;
        long received = sent + 30_000;
        long receivedNanos = 5_000_000_000L;
        anatomy.record(proposedMs, read, sent, received, receivedNanos, receivedNanos + 1_500_000,
                receivedNanos + 1_700_000);

        Map<LagAnatomy.Stage, LagAnatomy.StageSummary> s = anatomy.snapshot();
        assertThat(s.get(LagAnatomy.Stage.ORIGIN).p50Micros()).isBetween(1_995L, 2_005L);
        assertThat(s.get(LagAnatomy.Stage.BATCHING).p50Micros()).isEqualTo(500);
        assertThat(s.get(LagAnatomy.Stage.NETWORK).p50Micros()).isBetween(29_980L, 30_020L);
        assertThat(s.get(LagAnatomy.Stage.REMOTE_COMMIT).p50Micros()).isBetween(1_499L, 1_501L);
        assertThat(s.get(LagAnatomy.Stage.APPLY).p50Micros()).isEqualTo(200);
        assertThat(s.get(LagAnatomy.Stage.TOTAL).p50Micros()).isBetween(34_150L, 34_250L);
        assertThat(s.get(LagAnatomy.Stage.TOTAL).count()).isEqualTo(1);
    }

    @Test
    void clockSkewCountsAsZeroAndUnstampedBatchesSkipTheOriginStages() {
        LagAnatomy anatomy = new LagAnatomy();
        // The receiver's clock is behind the sender's: network would be negative.
        anatomy.record(1_000, 1_000_500, 1_001_000, 1_000_900, 10, 20, 30);
        // A version-1 sender: no stamps.
        anatomy.record(1_000, 0, 0, 1_002_000, 10, 1_010, 2_010);

        Map<LagAnatomy.Stage, LagAnatomy.StageSummary> s = anatomy.snapshot();
        assertThat(s.get(LagAnatomy.Stage.NETWORK).count()).isEqualTo(1);
        assertThat(s.get(LagAnatomy.Stage.NETWORK).maxMicros()).isZero();
        assertThat(s.get(LagAnatomy.Stage.ORIGIN).count()).isEqualTo(1);
        assertThat(s.get(LagAnatomy.Stage.REMOTE_COMMIT).count()).isEqualTo(2);
        assertThat(s.get(LagAnatomy.Stage.TOTAL).count()).isEqualTo(2);
    }
}
