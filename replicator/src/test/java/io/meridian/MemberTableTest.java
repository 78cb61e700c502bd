package io.meridian;

import io.meridian.raft.MemberChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The topology a node derives from its startup topology and the recorded member changes. */
@Timeout(10)
class MemberTableTest {

    private static final ClusterTopology STARTUP = ClusterTopology.parse(
            "r0=r0-1@127.0.0.1:7001/127.0.0.1:8001,r0-2@127.0.0.1:7002/127.0.0.1:8002;"
                    + "r1=r1-1@127.0.0.1:7011/127.0.0.1:8011,r1-2@127.0.0.1:7012/127.0.0.1:8012");

    private static MemberChange add(String id, String region, int port, boolean observer) {
        return new MemberChange(MemberChange.Op.ADD, id, region, "127.0.0.1:" + port, "127.0.0.1:" + (port + 1000),
                "127.0.0.1:" + (port + 2000), observer);
    }

    private static MemberChange remove(String id, String region, int port) {
        return new MemberChange(MemberChange.Op.REMOVE, id, region, "127.0.0.1:" + port, "", "", false);
    }

    @Test
    void withoutChangesItIsTheStartupTopology() {
        MemberTable t = MemberTable.of(STARTUP, List.of());
        assertThat(t.topology().toString()).isEqualTo(STARTUP.toString());
        assertThat(t.voterAeronEndpoints().get("r1")).containsExactly("127.0.0.1:8011", "127.0.0.1:8012");
    }

    @Test
    void addedNodesJoinTheirRegionObserversAreNoShippingTarget() {
        MemberTable t = MemberTable.of(STARTUP, List.of(add("r1-3", "r1", 7013, false), add("r1-4", "r1", 7014, true)));

        assertThat(t.topology().nodes("r1")).extracting(ClusterTopology.NodeSpec::nodeId)
                .containsExactly("r1-1", "r1-2", "r1-3", "r1-4");
        assertThat(t.isObserver("r1-4")).isTrue();
        assertThat(t.isObserver("r1-3")).isFalse();
        assertThat(t.voterAeronEndpoints().get("r1")).containsExactly("127.0.0.1:8011", "127.0.0.1:8012",
                "127.0.0.1:8013");
        assertThat(t.adminEndpoints()).containsEntry("r1-3", "127.0.0.1:9013");
        assertThat(t.topology().nodeByRaftEndpoint("127.0.0.1:7014")).map(ClusterTopology.NodeSpec::nodeId)
                .contains("r1-4");
    }

    @Test
    void aRemovedStartupNodeStaysRemovedAndAReAddChangesTheRole() {
        MemberTable t = MemberTable.of(STARTUP, List.of(remove("r1-1", "r1", 7011), add("r0-2", "r0", 7002, true)));

        assertThat(t.topology().node("r1-1")).isEmpty();
        assertThat(t.topology().nodes("r0")).extracting(ClusterTopology.NodeSpec::nodeId).containsExactly("r0-1", "r0-2");
        assertThat(t.isObserver("r0-2")).isTrue();
        assertThat(t.voterAeronEndpoints().get("r0")).containsExactly("127.0.0.1:8001");
    }

    @Test
    void changesThatBreakTheTopologyAreRefused() {
        assertThatThrownBy(() -> MemberTable.of(STARTUP, List.of(remove("r1-1", "r1", 7011), remove("r1-2", "r1", 7012))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no nodes");
        assertThatThrownBy(() -> MemberTable.of(STARTUP, List.of(add("x-1", "nowhere", 7100, false))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown region");
        assertThatThrownBy(() -> MemberTable.of(STARTUP, List.of(add("r1-9", "r1", 7001, false))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("used twice");
    }
}
