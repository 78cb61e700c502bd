package io.meridian.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTPS for the admin API: a PKCS12 keystore made by the JDK's keytool at test time, a node
 * serving HTTPS with it, ctl and AdminClient trusting its certificate, plain HTTP refused.
 */
@Timeout(120)
class AdminTlsTest {

    static final String TOKEN = "tls-test-token-0123456789abcdef";
    static final String PASSWORD = "keystore-pass-42";

    @TempDir
    Path dir;

    private MeridianNode node;

    /** A self-signed EC key for 127.0.0.1 in {@code admin.p12} and its certificate in {@code admin.pem}. */
    @BeforeEach
    void makeKeystore() throws Exception {
        keytool("-genkeypair", "-alias", "admin", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=meridian-admin-test", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", dir.resolve("admin.p12").toString(), "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "admin", "-keystore", dir.resolve("admin.p12").toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-file", dir.resolve("admin.pem").toString());
        Files.writeString(dir.resolve("admin.p12.pass"), PASSWORD + "\n");
    }

    private void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], Files.readString(dir.resolve("keytool.log"))).isZero();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static final String TLS_YAML = """
            admin:
              tls:
                keyStore: admin.p12
                keyStorePasswordFile: admin.p12.pass
            """;

    @Test
    void theAdminApiServesHttpsAndRefusesPlainHttp() throws Exception {
        node = AdminSecurityTest.startNode(dir, TLS_YAML, Map.of(AdminToken.VARIABLE, TOKEN));
        String addr = node.adminAddress();

        AdminClient tls = new AdminClient(Duration.ofSeconds(20), TOKEN, AdminTls.trusting(dir.resolve("admin.pem")));
        assertThat(tls.get(addr, "/status").status()).isEqualTo(200);
        assertThat(tls.send("PUT", addr, "/kv/k", "v".getBytes()).status()).isEqualTo(200);
        assertThat(new AdminClient(Duration.ofSeconds(20), null, AdminTls.trusting(dir.resolve("admin.pem")))
                .get(addr, "/status").status()).as("TLS does not replace the token").isEqualTo(401);

        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest overHttp = HttpRequest.newBuilder(URI.create("http://" + addr + "/health"))
                .timeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> plain.send(overHttp, HttpResponse.BodyHandlers.ofString()))
                .as("a plain HTTP request gets no answer").isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new AdminClient(Duration.ofSeconds(10), TOKEN, javax.net.ssl.SSLContext.getDefault())
                .get(addr, "/status")).as("a certificate the client does not trust").isInstanceOf(IOException.class);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MeridianCli.run(Map.of(AdminToken.VARIABLE, TOKEN), new PrintWriter(out, true), new PrintWriter(err, true),
                "ctl", "--addr", addr, "--cacert", dir.resolve("admin.pem").toString(), "get", "k");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().strip()).isEqualTo("v");
        code = MeridianCli.run(Map.of(AdminToken.VARIABLE, TOKEN), new PrintWriter(out, true), new PrintWriter(err, true),
                "ctl", "--addr", addr, "get", "k");
        assertThat(code).as("ctl over plain HTTP to an HTTPS node").isEqualTo(MeridianCli.FAILED);
    }

    @Test
    void aBadKeystoreSettingNamesItsField() throws Exception {
        String base = """
                nodeId: n1
                topology: "r0=n1@127.0.0.1:7001"
                dataDir: data/n1
                adminPort: 9101
                """;
        ConfigLoader loader = new ConfigLoader(Map.of());
        assertThat(loader.parse(base + TLS_YAML, dir).adminTls()).isNotNull();
        assertThat(loader.parse(base, dir).adminTls()).as("plain HTTP by default").isNull();
        assertField(() -> new ConfigLoader(Map.of(AdminTls.PASSWORD_VARIABLE, "wrong-password")).parse(base + TLS_YAML, dir),
                "admin.tls.keyStore", "wrong password");
        assertField(() -> loader.parse(base + "admin:\n  tls:\n    keyStore: admin.p12\n", dir),
                "admin.tls.keyStorePasswordFile", AdminTls.PASSWORD_VARIABLE);
        assertField(() -> loader.parse(base + TLS_YAML.replace("admin.p12\n", "missing.p12\n"), dir),
                "admin.tls.keyStore", "missing.p12");
        assertField(() -> loader.parse(base + "admin:\n  tls:\n    keyStore: admin.p12\n    keyStorePassword: x\n", dir),
                "admin.tls.keyStorePassword", "must not be written");
    }

    private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field, String part) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(part).doesNotContain(PASSWORD);
        });
    }
}
