package io.meridian.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code meridian up --netns} starts each node in its own namespace at the lab's addresses, waits for
 * it through the ops host, leaves the lab running after it returns, and {@code meridian down} removes
 * the namespaces with the nodes. One region of one node keeps it cheap.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetnsUpTest {

    @TempDir
    Path dir;

    private String prefix;

    @AfterEach
    void cleanUp() throws Exception {
        if (prefix != null) {
            MeridianCli.run(Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
                    "down", "--dir", dir.toString(), "--grace", "5");
            NetnsLab.destroyAll(prefix);
        }
    }

    @Test
    void upNetnsStartsNodesOnTheirOwnHostsAndDownRemovesTheNamespaces() throws Exception {
        String reason = NetnsCluster.unavailable().orElse(null);
        if (reason != null) {
            System.out.println("NetnsUpTest skipped: " + reason);
        }
        Assumptions.assumeTrue(reason == null, () -> "network namespaces unavailable: " + reason);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = MeridianCli.run(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), "up", "--netns",
                "--regions", "1", "--nodes-per-region", "1", "--dir", dir.toString(), "--heap", "200m", "--no-fsync",
                "--wait", "90");
        prefix = NetnsUp.recorded(dir).map(l -> l.ns("")).orElse(null);

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("r0-1 10.77.2.11:9101");
        assertThat(err.toString()).contains("ip netns exec " + prefix + "ops");
        assertThat(Netns.list()).contains(prefix + "r0-1", prefix + "ops", prefix + "hub");
        assertThat(new LocalCluster(dir, new PrintWriter(new StringWriter())).runningPid("r0-1")).isPresent();

        StringWriter downOut = new StringWriter();
        assertThat(MeridianCli.run(Map.of(), new PrintWriter(downOut, true), new PrintWriter(err, true), "down", "--dir",
                dir.toString())).isZero();
        assertThat(downOut.toString()).contains("removed 3 network namespace(s)");
        List<String> left = Netns.list().stream().filter(n -> n.startsWith(prefix)).toList();
        assertThat(left).isEmpty();
    }
}
