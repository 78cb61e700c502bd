package io.meridian.node;

import io.meridian.support.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Advertised and bind addresses are separate settings: a node refuses, before anything starts, to
 * advertise (or bind) an address this host does not have, and with {@code bind.raft} it listens on a
 * local address while the topology keeps advertising another one. 192.0.2.0/24 (TEST-NET-1) is never
 * a local address.
 */
@Timeout(60)
class BindAddressTest {

    private static final String TOKEN = "bind-address-test-token-0123456789";

    @TempDir
    Path dir;

    private ResolvedConfig config(String raftEndpoint, String extra) {
        return config(raftEndpoint, "127.0.0.1:" + LoopbackPorts.free(), extra);
    }

    private ResolvedConfig config(String raftEndpoint, String admin, String extra) {
        return new ConfigLoader(Map.of(AdminToken.VARIABLE, TOKEN)).parse("""
                nodeId: n1
                topology: "r0=n1@%s"
                dataDir: n1
                fsync: false
                electionTimeoutMs: 300
                adminEndpoint: %s
                %s
                """.formatted(raftEndpoint, admin, extra), dir);
    }

    @Test
    void aNodeAdvertisingAnAddressOfAnotherHostIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> MeridianNode.start(config("192.0.2.1:7001", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topology")
                .hasMessageContaining("node n1 advertises its Raft endpoint 192.0.2.1:7001")
                .hasMessageContaining("is not an address of this host")
                .hasMessageContaining("127.0.0.1");
        assertThat(dir.resolve("n1/raft")).as("nothing started").doesNotExist();
    }

    @Test
    void aBindAddressOfAnotherHostIsRefusedToo() {
        assertThatThrownBy(() -> MeridianNode.start(config("127.0.0.1:" + LoopbackPorts.free(),
                "bind: {raft: \"192.0.2.7:7001\"}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bind.raft")
                .hasMessageContaining("node n1 is to listen on the Raft bind address 192.0.2.7:7001");
        assertThatThrownBy(() -> config("127.0.0.1:7001", "bind: {aeron: \"nowhere\"}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bind.aeron");
        assertThatThrownBy(() -> MeridianNode.start(config("127.0.0.1:7001", "192.0.2.9:9101", "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("admin address 192.0.2.9:9101");
    }

    @Test
    void theCliExitsWithTheConfigurationErrorCode() throws Exception {
        Path yaml = dir.resolve("n1.yaml");
        Files.writeString(yaml, """
                nodeId: n1
                topology: "r0=n1@192.0.2.1:7001"
                dataDir: n1
                adminEndpoint: 127.0.0.1:%d
                """.formatted(LoopbackPorts.free()), StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        int code = MeridianCli.run(Map.of(AdminToken.VARIABLE, TOKEN), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true), "node", "--config", yaml.toString());
        assertThat(code).as(err.toString()).isEqualTo(MeridianCli.USAGE);
        assertThat(err.toString()).contains("advertises its Raft endpoint 192.0.2.1:7001");
    }

    @Test
    void withBindRaftTheNodeListensLocallyWhileAdvertisingAnotherAddress() throws Exception {
        int port = LoopbackPorts.free();
        try (MeridianNode node = MeridianNode.start(config("192.0.2.1:" + port, "bind: {raft: \"127.0.0.1:" + port + "\"}"))) {
            AdminClient client = new AdminClient(Duration.ofSeconds(10), TOKEN, null);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.send("PUT", node.adminAddress(),
                    "/kv/k", "v".getBytes(StandardCharsets.UTF_8)).status() == 200);
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                assertThat(s.isConnected()).as("the Raft server listens on the bind address").isTrue();
            }
        }
    }
}
