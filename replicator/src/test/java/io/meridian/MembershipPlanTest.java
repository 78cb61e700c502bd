package io.meridian;

import io.meridian.raft.MemberChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which JRaft configuration change the reconciler makes next, for each recorded role and current state. */
@Timeout(10)
class MembershipPlanTest {

    private static final String A = "127.0.0.1:7001";
    private static final String B = "127.0.0.1:7002";
    private static final String NEW = "127.0.0.1:7009";

    private static MemberChange change(MemberChange.Op op, String region, boolean observer) {
        return new MemberChange(op, "n9", region, NEW, "", "", observer);
    }

    private static Optional<MembershipPlan.Action> next(MemberChange c, List<String> peers, List<String> learners) {
        return MembershipPlan.next("r1", List.of(c), peers, learners).map(MembershipPlan.Step::action);
    }

    @Test
    void aVoterIsAddedAsAPeerOnce() {
        MemberChange voter = change(MemberChange.Op.ADD, "r1", false);
        assertThat(next(voter, List.of(A, B), List.of())).contains(MembershipPlan.Action.ADD_PEER);
        assertThat(next(voter, List.of(A, B, NEW), List.of())).isEmpty();
        // an observer promoted to voter leaves the learners first
        assertThat(next(voter, List.of(A, B), List.of(NEW))).contains(MembershipPlan.Action.REMOVE_LEARNER);
    }

    @Test
    void anObserverIsALearnerNeverAPeer() {
        MemberChange observer = change(MemberChange.Op.ADD, "r1", true);
        assertThat(next(observer, List.of(A, B), List.of())).contains(MembershipPlan.Action.ADD_LEARNER);
        assertThat(next(observer, List.of(A, B), List.of(NEW))).isEmpty();
        assertThat(next(observer, List.of(A, B, NEW), List.of())).contains(MembershipPlan.Action.REMOVE_PEER);
    }

    @Test
    void aRemovedNodeLeavesWhicheverListHoldsIt() {
        MemberChange removed = change(MemberChange.Op.REMOVE, "r1", false);
        assertThat(next(removed, List.of(A, NEW), List.of())).contains(MembershipPlan.Action.REMOVE_PEER);
        assertThat(next(removed, List.of(A), List.of(NEW))).contains(MembershipPlan.Action.REMOVE_LEARNER);
        assertThat(next(removed, List.of(A), List.of())).isEmpty();
    }

    @Test
    void otherRegionsChangesAreNotThisLeadersBusiness() {
        assertThat(MembershipPlan.next("r1", List.of(change(MemberChange.Op.ADD, "r0", false)), List.of(A), List.of()))
                .isEmpty();
    }
}
