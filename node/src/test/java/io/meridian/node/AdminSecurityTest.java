package io.meridian.node;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meridian.support.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin API's access rules, with real requests to a one-node region on 127.0.0.1 (what curl
 * would send): no token or a wrong one is 401, an Origin header is 403, /health is open, the
 * generated token file, and ctl finding the token in a file, the environment or an `up` directory.
 * TLS is in {@link AdminTlsTest}.
 */
@Timeout(120)
class AdminSecurityTest {

    static final String TOKEN = "security-test-token-0123456789abcdef";

    /** Every route but /health, plus an unknown path: all are refused before routing. */
    static final List<String[]> PROTECTED = List.of(
            new String[] {"GET", "/status"}, new String[] {"GET", "/metrics"}, new String[] {"GET", "/cluster"},
            new String[] {"GET", "/kv/k"}, new String[] {"PUT", "/kv/k"}, new String[] {"DELETE", "/kv/k"},
            new String[] {"POST", "/admin/switchover?target=r0"}, new String[] {"POST", "/admin/promote?allowDataLoss=true"},
            new String[] {"GET", "/no-such-path"});

    @TempDir
    Path dir;

    private MeridianNode node;
    private final HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** Starts a one-node region whose YAML ends with {@code extraYaml}; waits until it leads. */
    static MeridianNode startNode(Path dir, String extraYaml, Map<String, String> env) {
        String yaml = """
                nodeId: n1
                topology: "r0=n1@127.0.0.1:%d"
                dataDir: data/n1
                adminEndpoint: 127.0.0.1:%d
                electionTimeoutMs: 300
                fsync: false
                """.formatted(LoopbackPorts.free(), LoopbackPorts.free()) + extraYaml;
        MeridianNode node = MeridianNode.start(new ConfigLoader(env).parse(yaml, dir));
        await().atMost(Duration.ofSeconds(30)).until(() -> node.replicator().isLeader());
        return node;
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + node.adminAddress() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, method.equals("PUT") ? HttpRequest.BodyPublishers.ofString("v")
                        : HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Test
    void everyEndpointButHealthNeedsTheRightToken() throws Exception {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        node = startNode(dir, "admin:\n  tokenFile: token\n", Map.of());

        for (String[] r : PROTECTED) {
            String what = r[0] + " " + r[1];
            HttpResponse<String> none = send(r[0], r[1], Map.of());
            assertThat(none.statusCode()).as(what).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).as(what).hasValueSatisfying(v ->
                    assertThat(v).startsWith("Bearer"));
            assertThat(Http.JSON.readTree(none.body()).path("error").asText()).as(what).isEqualTo("unauthorized");
            assertThat(Http.JSON.readTree(none.body()).path("message").asText()).as(what).contains("Authorization: Bearer");

            HttpResponse<String> wrong = send(r[0], r[1], bearer(TOKEN.replace('0', '1')));
            assertThat(wrong.statusCode()).as(what).isEqualTo(401);
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).as(what).hasValueSatisfying(v ->
                    assertThat(v).startsWith("Bearer").contains("invalid_token"));
            assertThat(wrong.body()).as(what).contains("\"error\":\"unauthorized\"").doesNotContain(TOKEN);

            assertThat(send(r[0], r[1], Map.of("Authorization", "Basic " + TOKEN)).statusCode()).as(what).isEqualTo(401);
            assertThat(send(r[0], r[1], bearer(TOKEN.substring(1))).statusCode()).as(what).isEqualTo(401);
        }
        assertThat(send("GET", "/health", Map.of()).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/kv/k", bearer(TOKEN)).statusCode()).as("no refused PUT wrote anything").isEqualTo(404);

        assertThat(send("PUT", "/kv/k", bearer(TOKEN)).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/kv/k", bearer(TOKEN)).body()).contains("\"value\":\"v\"");
        // The scheme name is case-insensitive (RFC 7235).
        assertThat(send("GET", "/status", Map.of("Authorization", "bearer " + TOKEN)).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/status", bearer(TOKEN)).statusCode()).as("routing comes after auth").isEqualTo(405);
        for (String path : List.of("/status", "/cluster")) {
            assertThat(send("GET", path, bearer(TOKEN)).body()).doesNotContain(TOKEN);
        }
    }

    @Test
    void anyRequestWithAnOriginHeaderIsRefusedExceptHealth() throws Exception {
        node = startNode(dir, "", Map.of(AdminToken.VARIABLE, TOKEN));
        for (String[] r : PROTECTED) {
            for (String origin : List.of("https://evil.example", "null", "http://" + node.adminAddress())) {
                Map<String, String> headers = new HashMap<>(bearer(TOKEN));
                headers.put("Origin", origin);
                HttpResponse<String> refused = send(r[0], r[1], headers);
                assertThat(refused.statusCode()).as(r[0] + " " + r[1] + " from " + origin).isEqualTo(403);
                assertThat(Http.JSON.readTree(refused.body()).path("error").asText()).isEqualTo("forbidden_origin");
                assertThat(Http.JSON.readTree(refused.body()).path("message").asText()).contains("Origin");
            }
        }
        assertThat(send("GET", "/health", Map.of("Origin", "https://evil.example")).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/kv/k", bearer(TOKEN)).statusCode()).as("nothing was written").isEqualTo(404);
        assertThat(dir.resolve("data/n1").resolve(AdminToken.FILE_NAME)).as("a configured token is not written")
                .doesNotExist();
    }

    @Test
    void withoutAConfiguredTokenTheNodeGeneratesOneOnlyItsOwnerCanRead() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        String token;
        Path file = dir.resolve("data/n1").resolve(AdminToken.FILE_NAME);
        try {
            node = startNode(dir, "", Map.of());
            token = Files.readString(file).strip();
            assertThat(token).matches("[0-9a-f]{64}");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(send("GET", "/status", Map.of()).statusCode()).isEqualTo(401);
            assertThat(send("PUT", "/kv/k", bearer(token)).statusCode()).isEqualTo(200);
            assertThat(send("GET", "/status", bearer(token)).body()).doesNotContain(token);
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains(file.toString()));
        assertThat(logs.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(token));

        node.close();
        node = null;
        assertThat(AdminToken.generatedIn(dir.resolve("data/n1")).matches(token)).as("a restart reuses the file").isTrue();
        assertThat(Files.readString(file).strip()).isEqualTo(token);
    }

    record Cli(int code, String out, String err) { }

    private static Cli ctl(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "ctl";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = MeridianCli.run(env, new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Cli(code, out.toString(), err.toString());
    }

    @Test
    void ctlReadsTheTokenFromAFileTheEnvironmentOrAnUpDirectory() throws Exception {
        Path up = dir.resolve("run");
        AdminToken.writeNew(up.resolve(AdminToken.FILE_NAME), TOKEN);
        node = startNode(dir, "admin:\n  tokenFile: run/admin.token\n", Map.of());
        String addr = node.adminAddress();
        Path tokenFile = up.resolve(AdminToken.FILE_NAME);

        Cli put = ctl(Map.of(), "--addr", addr, "--token-file", tokenFile.toString(), "put", "greeting", "hello");
        assertThat(put.code()).as(put.err()).isZero();
        Cli get = ctl(Map.of(AdminToken.VARIABLE, TOKEN), "--addr", addr, "get", "greeting");
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(get.out().strip()).isEqualTo("hello");
        Cli status = ctl(Map.of(), "--addr", "http://" + addr, "--dir", up.toString(), "status", "--json");
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(Http.JSON.readTree(status.out()).path("nodes").get(0).path("up").asBoolean()).isTrue();
        Cli flagWins = ctl(Map.of(AdminToken.VARIABLE, "not-the-token-0123456789"), "--addr", addr, "--dir", up.toString(),
                "get", "greeting");
        assertThat(flagWins.code()).as("--dir wins over the environment: %s", flagWins.err()).isZero();

        Cli none = ctl(Map.of(), "--addr", addr, "put", "k", "v");
        assertThat(none.code()).isEqualTo(MeridianCli.FAILED);
        assertThat(none.err()).contains("401", "--token-file", AdminToken.VARIABLE);
        Cli wrong = ctl(Map.of(AdminToken.VARIABLE, "not-the-token-0123456789"), "--addr", addr, "get", "greeting");
        assertThat(wrong.code()).isEqualTo(MeridianCli.FAILED);
        assertThat(wrong.err()).contains("not this node's admin token").doesNotContain("not-the-token");
        Cli missingFile = ctl(Map.of(), "--addr", addr, "--token-file", dir.resolve("nope").toString(), "get", "greeting");
        assertThat(missingFile.code()).isEqualTo(MeridianCli.USAGE);
        assertThat(missingFile.err()).contains("nope");
        Cli emptyDir = ctl(Map.of(), "--addr", addr, "--dir", dir.resolve("elsewhere").toString(), "get", "greeting");
        assertThat(emptyDir.code()).isEqualTo(MeridianCli.USAGE);
        assertThat(ctl(Map.of(), "--addr", addr, "get", "greeting").code()).as("nothing found: no token sent")
                .isEqualTo(MeridianCli.FAILED);
        assertThat(List.of(put, get, status, none, wrong)).allSatisfy(c -> assertThat(c.out() + c.err()).doesNotContain(TOKEN));
    }
}
