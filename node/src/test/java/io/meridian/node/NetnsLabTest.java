package io.meridian.node;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab itself, without nodes: hosts get their addresses and no route out, a link fault drops the
 * host's carrier, teardown leaves no namespace, and a run's start removes the namespaces of a run
 * whose JVM is gone while it leaves a live run's alone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetnsLabTest {

    @BeforeEach
    void namespacesAvailable() throws Exception {
        String reason = NetnsCluster.unavailable().orElse(null);
        if (reason != null) {
            System.out.println("NetnsLabTest skipped: " + reason);
        }
        Assumptions.assumeTrue(reason == null, () -> "network namespaces unavailable: " + reason);
    }

    @Test
    void hostsHaveTheirAddressesNoRouteOutAndLinkFaultsDropTheCarrier() throws Exception {
        String prefix = NetnsLab.runPrefix() + "lab-";
        try (NetnsLab lab = NetnsLab.create(prefix, 2, 2, true, true)) {
            assertThat(lab.nodes()).containsExactly("r0-1", "r0-2", "r1-1", "r1-2", io.meridian.Witness.NAME);
            assertThat(Netns.in(lab.ns("r1-2"), "-4", "addr", "show")).contains("10.77.11.22/24", "10.77.1.22/24",
                    "10.77.2.22/24");
            assertThat(Netns.in(lab.ns(io.meridian.Witness.NAME), "-4", "addr", "show")).contains("10.77.1.100/24")
                    .doesNotContain("10.77.10.");
            for (String id : lab.nodes()) {
                assertThat(lab.routes(id)).doesNotContain("default");
            }

            lab.isolateFromRegion("r0-1");
            lab.isolateFromOthers("r1-1");
            assertThat(Netns.in(lab.ns("r0-1"), "link", "show", "lan")).contains("NO-CARRIER");
            assertThat(Netns.in(lab.ns("r0-1"), "link", "show", "wan")).doesNotContain("NO-CARRIER");
            assertThat(Netns.in(lab.ns("r1-1"), "link", "show", "wan")).contains("NO-CARRIER");
            lab.heal();
            assertThat(Netns.in(lab.ns("r0-1"), "link", "show", "lan")).doesNotContain("NO-CARRIER");
            lab.cutRegion("r1");
            assertThat(Netns.in(lab.ns("r1-2"), "link", "show", "wan")).contains("NO-CARRIER");
            assertThat(Netns.in(lab.ns("r1-2"), "link", "show", "lan")).doesNotContain("NO-CARRIER");
        }
        assertThat(Netns.list()).noneMatch(n -> n.startsWith(prefix));
    }

    @Test
    void staleNamespacesOfAGoneRunAreRemovedAndLiveOnesKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String stale = "mrd" + gone.pid() + "-hub";
        String live = NetnsLab.runPrefix() + "live";
        Netns.ip("netns", "add", stale);
        Netns.ip("netns", "add", live);
        try {
            assertThat(NetnsLab.cleanStale()).contains(stale).doesNotContain(live);
            assertThat(Netns.list()).doesNotContain(stale).contains(live);
        } finally {
            NetnsLab.destroyAll(live);
            if (Netns.list().contains(stale)) {
                Netns.destroy(stale);
            }
        }
    }
}
