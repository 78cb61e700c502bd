package io.meridian;

import io.meridian.raft.MemberChange;

import java.util.List;
import java.util.Optional;

/**
 * The next JRaft configuration change that brings a region's configuration closer to its recorded
 * membership: pure, so the reconciler's thread only carries it out. A voter must be a peer and not
 * a learner, an observer a learner and not a peer, a removed node neither; a role change goes
 * through removal first (JRaft does not turn a peer into a learner in one step).
 */
final class MembershipPlan {

    /** What to ask JRaft for. */
    enum Action { ADD_PEER, REMOVE_PEER, ADD_LEARNER, REMOVE_LEARNER }

    /** One configuration change, and the recorded change it serves. */
    record Step(Action action, MemberChange change) { }

    private MembershipPlan() {
    }

    /**
     * @param changes  every recorded change (other regions' are skipped)
     * @param peers    the region's JRaft voters ({@code host:port})
     * @param learners the region's JRaft learners
     */
    static Optional<Step> next(String region, List<MemberChange> changes, List<String> peers, List<String> learners) {
        for (MemberChange c : changes) {
            if (!c.region().equals(region)) {
                continue;
            }
            boolean isPeer = peers.contains(c.raftEndpoint());
            boolean isLearner = learners.contains(c.raftEndpoint());
            Action action = null;
            if (c.isRemove()) {
                action = isPeer ? Action.REMOVE_PEER : isLearner ? Action.REMOVE_LEARNER : null;
            } else if (c.observer()) {
                action = isPeer ? Action.REMOVE_PEER : !isLearner ? Action.ADD_LEARNER : null;
            } else {
                action = isLearner ? Action.REMOVE_LEARNER : !isPeer ? Action.ADD_PEER : null;
            }
            if (action != null) {
                return Optional.of(new Step(action, c));
            }
        }
        return Optional.empty();
    }
}
