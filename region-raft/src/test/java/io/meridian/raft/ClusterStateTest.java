package io.meridian.raft;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ClusterStateTest {

    /** eu was primary of epoch 1 for 1..100; us took over by promotion at 101 (basis 100). */
    private static ClusterState promotedAt101() {
        ClusterState s = ClusterState.initial("eu");
        for (long i = 1; i <= 100; i++) {
            s = s.withApplied(i, 1);
        }
        s = s.withEpochChange(101, 2, "us", 100);
        for (long i = 102; i <= 150; i++) {
            s = s.withApplied(i, 2);
        }
        return s;
    }

    @Test
    void epochAtFollowsTheEpochStarts() {
        ClusterState s = promotedAt101();
        assertThat(s.epochAt(0)).isZero();
        assertThat(s.epochAt(1)).isEqualTo(1);
        assertThat(s.epochAt(100)).isEqualTo(1);
        assertThat(s.epochAt(101)).isEqualTo(2);
        assertThat(s.epochAt(150)).isEqualTo(2);
        assertThat(s.epochAt(151)).isEqualTo(-1);
    }

    @Test
    void lastMatchingIndexFindsWhereADivergentLogLeftOurs() {
        ClusterState s = promotedAt101();
        assertThat(s.lastMatchingIndex(80, 1)).as("a prefix of our log").isEqualTo(80);
        assertThat(s.lastMatchingIndex(140, 2)).isEqualTo(140);
        assertThat(s.lastMatchingIndex(130, 1)).as("old primary kept writing in epoch 1 past the basis").isEqualTo(100);
        assertThat(s.lastMatchingIndex(0, 0)).isZero();
        assertThat(s.lastMatchingIndex(200, 2)).as("ahead of us in our own epoch").isEqualTo(150);
    }

    @Test
    void primaryAndFenceFlags() {
        ClusterState s = ClusterState.initial("eu");
        assertThat(s.isPrimary("eu")).isTrue();
        assertThat(s.isPrimary("us")).isFalse();
        ClusterState fenced = s.withFence(2, "us");
        assertThat(fenced.isFenced()).isTrue();
        assertThat(fenced.isPrimary("eu")).as("a fenced primary is not primary").isFalse();
        assertThat(fenced.withFence(1, "eu")).as("older fences change nothing").isSameAs(fenced);
        ClusterState changed = fenced.withEpochChange(1, 2, "us", 0);
        assertThat(changed.isFenced()).isFalse();
        assertThat(changed.isPrimary("us")).isTrue();
    }

    @Test
    void encodesAndDecodes() throws Exception {
        ClusterState s = promotedAt101().withFence(3, "ap");
        ClusterState back = ClusterState.decode(new DataInputStream(new ByteArrayInputStream(s.encode())));
        assertThat(back).isEqualTo(s);
    }

    @org.junit.jupiter.api.Test
    void anEntryOfAnOlderEpochIsSupersededFromTheNewEpochsFirstIndexOn() {
        ClusterState s = ClusterState.initial("eu").withApplied(10, 1).withEpochChange(11, 2, "us", 10);

        org.assertj.core.api.Assertions.assertThat(s.supersedes(10, 1)).isFalse();
        org.assertj.core.api.Assertions.assertThat(s.supersedes(11, 1)).isTrue();
        org.assertj.core.api.Assertions.assertThat(s.supersedes(500, 1)).as("beyond what is applied").isTrue();
        org.assertj.core.api.Assertions.assertThat(s.supersedes(500, 2)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void theVotePromiseSurvivesEncodingAndVersionOneStillDecodes() throws Exception {
        ClusterState s = ClusterState.initial("eu").withVote(3, "us");
        ClusterState back = ClusterState.decode(new java.io.DataInputStream(new java.io.ByteArrayInputStream(s.encode())));
        org.assertj.core.api.Assertions.assertThat(back).isEqualTo(s);
        byte[] v2 = ClusterState.initial("eu").encode();
        byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - 8 - 2); // without votedEpoch and an empty votedFor
        v1[0] = 1;
        ClusterState old = ClusterState.decode(new java.io.DataInputStream(new java.io.ByteArrayInputStream(v1)));
        org.assertj.core.api.Assertions.assertThat(old).isEqualTo(ClusterState.initial("eu"));
    }
}
