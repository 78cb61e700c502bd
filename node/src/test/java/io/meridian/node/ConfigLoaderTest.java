package io.meridian.node;

import io.meridian.support.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class ConfigLoaderTest {

    static final String SECRET = "0123456789abcdef0123";

    @TempDir
    Path dir;

    static String twoRegions() {
        return "r0=a@127.0.0.1:7001/127.0.0.1:8001;r1=b@127.0.0.1:7002/127.0.0.1:8002";
    }

    static String valid(int adminPort) {
        return """
                nodeId: a
                topology: "%s"
                witnessEndpoint: 127.0.0.1:8009
                dataDir: data/a
                adminPort: %d
                crossRegion:
                  leaseMs: 1500
                """.formatted(twoRegions(), adminPort);
    }

    @Test
    void aConfigThatNeverMentionsTheLeaseIsFencedByDefault() {
        String yaml = """
                nodeId: a
                topology: "%s"
                witnessEndpoint: 127.0.0.1:8009
                dataDir: data/a
                adminPort: 9102
                """.formatted(twoRegions());
        var ctx = parse(yaml, Map.of(ConfigLoader.SECRET_VARIABLE, SECRET)).toContext(new io.meridian.kv.KvStateMachine()).conclude();
        assertThat(ctx.crossRegion().effectiveLease()).isEqualTo(Duration.ofMillis(1500));
        assertThat(ctx.crossRegion().unsafeNoFencing()).isFalse();
    }

    @Test
    void twoDataRegionsWithoutAWitnessAreRefusedUnlessFencingIsExplicitlyOff() {
        String yaml = """
                nodeId: a
                topology: "%s"
                dataDir: data/a
                adminPort: 9103
                """.formatted(twoRegions());
        ResolvedConfig c = parse(yaml, Map.of(ConfigLoader.SECRET_VARIABLE, SECRET));
        assertThatThrownBy(() -> c.toContext(new io.meridian.kv.KvStateMachine()).conclude())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two data regions need a witness");
        ResolvedConfig unsafe = parse(yaml + "crossRegion:\n  unsafeNoFencing: true\n", Map.of(ConfigLoader.SECRET_VARIABLE, SECRET));
        assertThat(unsafe.toContext(new io.meridian.kv.KvStateMachine()).conclude().crossRegion().effectiveLease()).isZero();
    }

    private ResolvedConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env).parse(yaml, dir);
    }

    private void assertField(String yaml, Map<String, String> env, String field, String messagePart) {
        assertThatThrownBy(() -> parse(yaml, env)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @Test
    void validConfigBindsEverySetting() {
        ResolvedConfig c = parse(valid(9101), Map.of(ConfigLoader.SECRET_VARIABLE, SECRET));
        assertThat(c.nodeId()).isEqualTo("a");
        assertThat(c.topology().regionNames()).containsExactly("r0", "r1");
        assertThat(c.topology().initialPrimary()).isEqualTo("r0");
        assertThat(c.admin().getPort()).isEqualTo(9101);
        assertThat(c.raw().crossRegion.leaseMs).isEqualTo(1500);
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data/a"));
        assertThat(new String(c.secret(), StandardCharsets.UTF_8)).isEqualTo(SECRET);
        assertThat(c.toContext(new io.meridian.kv.KvStateMachine()).conclude().crossRegion().lease())
                .isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void environmentOverridesTheYaml() {
        ResolvedConfig c = parse(valid(9101), Map.of(ConfigLoader.SECRET_VARIABLE, SECRET,
                "MERIDIAN_ADMIN_PORT", "9200", "MERIDIAN_CROSS_REGION_LEASE_MS", "2500", "MERIDIAN_NODE_ID", "b",
                "MERIDIAN_FSYNC", "false", "MERIDIAN_ADMIN_ENDPOINTS", "a=127.0.0.1:1,b=127.0.0.1:2"));
        assertThat(c.admin().getPort()).isEqualTo(9200);
        assertThat(c.raw().crossRegion.leaseMs).isEqualTo(2500);
        assertThat(c.nodeId()).isEqualTo("b");
        assertThat(c.raw().fsync).isFalse();
        assertThat(c.adminEndpoints()).containsEntry("a", "127.0.0.1:1").containsEntry("b", "127.0.0.1:2");
        assertThat(EnvOverrides.variables()).containsEntry("crossRegion.switchoverTimeoutMs",
                "MERIDIAN_CROSS_REGION_SWITCHOVER_TIMEOUT_MS").containsEntry("witness.stateFile", "MERIDIAN_WITNESS_STATE_FILE");
        assertThat(new java.util.HashSet<>(EnvOverrides.variables().values())).as("one variable per setting")
                .hasSameSizeAs(EnvOverrides.variables().values());
    }

    @Test
    void secretComesFromAFileAndNeverFromTheYaml() throws IOException {
        Files.writeString(dir.resolve("secret"), SECRET + "\n");
        ResolvedConfig c = parse(valid(9101) + "clusterSecretFile: secret\n", Map.of());
        assertThat(new String(c.secret(), StandardCharsets.UTF_8)).isEqualTo(SECRET);
        assertField(valid(9101) + "clusterSecret: " + SECRET + "\n", Map.of(), "clusterSecret", "must not be written");
        assertField(valid(9101), Map.of(), "clusterSecret", "MERIDIAN_CLUSTER_SECRET");
        assertField(valid(9101), Map.of(ConfigLoader.SECRET_VARIABLE, "short"), "clusterSecret", "at least 16 bytes");
        assertField(valid(9101) + "clusterSecretFile: nope\n", Map.of(), "clusterSecretFile", "cannot read");
    }

    @Test
    void adminTokenComesFromTheEnvironmentOrAFileAndNeverFromTheYaml() throws IOException {
        Map<String, String> env = Map.of(ConfigLoader.SECRET_VARIABLE, SECRET);
        String token = "file-token-0123456789abcdef";
        Files.writeString(dir.resolve("token"), token + "\n");
        ResolvedConfig fromFile = parse(valid(9101) + "admin:\n  tokenFile: token\n", env);
        assertThat(fromFile.adminToken().matches(token)).isTrue();
        assertThat(fromFile.adminToken().matches(token + "x")).isFalse();
        assertThat(fromFile.adminToken().toString()).doesNotContain(token).contains(dir.resolve("token").toString());
        ResolvedConfig fromEnv = parse(valid(9101) + "admin:\n  tokenFile: token\n", Map.of(ConfigLoader.SECRET_VARIABLE,
                SECRET, AdminToken.VARIABLE, "env-token-0123456789abcdef"));
        assertThat(fromEnv.adminToken().matches("env-token-0123456789abcdef")).as("the variable wins").isTrue();
        assertThat(parse(valid(9101), env).adminToken()).as("none: generated at start").isNull();
        assertThat(EnvOverrides.variables()).containsEntry("admin.tokenFile", "MERIDIAN_ADMIN_TOKEN_FILE")
                .containsEntry("admin.tls.keyStore", "MERIDIAN_ADMIN_TLS_KEY_STORE")
                .doesNotContainValue(AdminToken.VARIABLE).doesNotContainValue(AdminTls.PASSWORD_VARIABLE);

        assertField(valid(9101) + "admin:\n  token: " + token + "\n", env, "admin.token", "must not be written");
        assertField(valid(9101) + "admin:\n  tokenFile: nope\n", env, "admin.tokenFile", "cannot read");
        Files.writeString(dir.resolve("short"), "short\n");
        assertField(valid(9101) + "admin:\n  tokenFile: short\n", env, "admin.tokenFile", "at least 16");
        assertField(valid(9101), Map.of(ConfigLoader.SECRET_VARIABLE, SECRET, AdminToken.VARIABLE, "has a space 0123456789"),
                "admin.token", "without spaces");
    }

    @Test
    void everyMistakeNamesItsField() {
        Map<String, String> env = Map.of(ConfigLoader.SECRET_VARIABLE, SECRET);
        assertField("nodeId: [unclosed", env, "yaml", "not valid YAML");
        assertField(valid(9101).replace("nodeId: a\n", ""), env, "nodeId", "required");
        assertField(valid(9101).replace("nodeId: a", "nodeId: zz"), env, "nodeId", "not in the topology");
        assertField(valid(9101).replace(twoRegions(), "r0=a@nohost"), env, "topology", "nohost");
        assertField(valid(9101).replace("dataDir: data/a\n", ""), env, "dataDir", "required");
        assertField(valid(9101).replace("adminPort: 9101\n", ""), env, "adminPort", "required");
        assertField(valid(9101) + "electionTimeoutMs: -5\n", env, "electionTimeoutMs", "> 0");
        assertField(valid(9101) + "electionTimeout: 5\n", env, "electionTimeout", "unknown setting");
        assertField(valid(9101).replace("leaseMs: 1500", "leaseMs: soon"), env, "crossRegion.leaseMs", "invalid value");
        assertField(valid(9101), Map.of(ConfigLoader.SECRET_VARIABLE, SECRET, "MERIDIAN_CROSS_REGION_LEASE_MS", "abc"),
                "crossRegion.leaseMs", "MERIDIAN_CROSS_REGION_LEASE_MS");
        assertField(valid(9101) + "stateMachine: com.acme.Missing\n", env, "stateMachine", "com.acme.Missing");
        assertField(valid(9101) + "role: arbiter\n", env, "role", "arbiter");
    }

    @Test
    void theNodeCommandExitsWith2AndStartsNothingOnABadConfig() throws IOException {
        int adminPort = LoopbackPorts.free();
        Path config = dir.resolve("node.yaml");
        Files.writeString(config, valid(adminPort).replace("leaseMs: 1500", "leaseMs: -1"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MeridianCli.run(Map.of(ConfigLoader.SECRET_VARIABLE, SECRET), new PrintWriter(out, true),
                new PrintWriter(err, true), "node", "--config", config.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).contains("crossRegion.leaseMs").doesNotContain("\n");
        assertThat(dir.resolve("data")).doesNotExist();
        try (ServerSocket s = new ServerSocket(adminPort, 1, InetAddress.getLoopbackAddress())) {
            assertThat(s.getLocalPort()).as("the admin port is still free").isEqualTo(adminPort);
        }
        assertThat(MeridianCli.run(Map.of(), new PrintWriter(out), new PrintWriter(err), "node")).isEqualTo(2);
    }

    @Test
    void walRetentionSettingsReachTheContext() {
        String yaml = valid(9104) + "wal:\n  maxBytes: 2097152\n  maxAgeS: 3600\n  rollPeriodS: 1\n";
        var ctx = parse(yaml, Map.of(ConfigLoader.SECRET_VARIABLE, SECRET)).toContext(new io.meridian.kv.KvStateMachine()).conclude();
        assertThat(ctx.walRetention().maxBytes()).isEqualTo(2_097_152);
        assertThat(ctx.walRetention().maxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(ctx.walRetention().rollPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertField(valid(9105) + "wal:\n  maxBytes: 0\n", Map.of(ConfigLoader.SECRET_VARIABLE, SECRET), "wal.maxBytes", "> 0");
    }
}
