package io.meridian.raft;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Member changes: their encoding, how ClusterState keeps them, and that snapshots carry them. */
@Timeout(10)
class MemberChangeTest {

    private static final MemberChange ADD_VOTER = new MemberChange(MemberChange.Op.ADD, "r1-4", "r1", "127.0.0.1:7004",
            "127.0.0.1:8004", "127.0.0.1:9004", false);
    private static final MemberChange ADD_OBSERVER = new MemberChange(MemberChange.Op.ADD, "r1-5", "r1",
            "127.0.0.1:7005", "127.0.0.1:8005", "", true);

    @Test
    void encodesWithATagNoEpochChangeStartsWith() {
        byte[] bytes = ADD_OBSERVER.encode();
        assertThat(MemberChange.isMemberChange(bytes)).isTrue();
        assertThat(MemberChange.decode(bytes)).isEqualTo(ADD_OBSERVER);
        byte[] epochChange = new EpochChange(2, "r1", 10, EpochChange.Reason.SWITCHOVER).encode();
        assertThat(MemberChange.isMemberChange(epochChange)).isFalse();
    }

    @Test
    void theLatestChangeOfANodeReplacesEarlierOnesAndRemovalsStay() {
        ClusterState s = ClusterState.initial("r0")
                .withMemberChange(1, 1, ADD_VOTER)
                .withMemberChange(2, 1, ADD_OBSERVER);
        MemberChange removed = new MemberChange(MemberChange.Op.REMOVE, "r1-4", "r1", "127.0.0.1:7004", "", "", false);
        s = s.withMemberChange(3, 1, removed);

        assertThat(s.members()).containsExactly(removed, ADD_OBSERVER);
        assertThat(s.appliedIndex()).isEqualTo(3);
        // the other transitions keep the members
        assertThat(s.withApplied(4, 1).withFence(2, "r1").withVote(3, "r1").withEpochChange(5, 2, "r1", 4).members())
                .containsExactly(removed, ADD_OBSERVER);
    }

    @Test
    void snapshotsCarryTheMembers() throws Exception {
        ClusterState s = ClusterState.initial("r0").withMemberChange(1, 1, ADD_VOTER).withMemberChange(2, 1, ADD_OBSERVER);
        ClusterState back = ClusterState.decode(new DataInputStream(new ByteArrayInputStream(s.encode())));
        assertThat(back).isEqualTo(s);
        assertThat(back.members()).containsExactly(ADD_VOTER, ADD_OBSERVER);
    }

    @Test
    void aMemberCommandRoundTrips() {
        RaftCommand.Member m = new RaftCommand.Member(3, 1_700_000_000_000L, ADD_VOTER);
        RaftCommand back = RaftCommand.decode(ByteBuffer.wrap(RaftCommand.encode(m)));
        assertThat(back).isEqualTo(m);
        assertThat(List.of(back)).first().isInstanceOf(RaftCommand.Member.class);
    }
}
