package io.meridian.sim.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sim's client for node processes' admin API: one JDK HttpClient, the cluster's bearer token on
 * every request, a timeout on every request (a SIGSTOPped node accepts the connection — the kernel
 * does — and never answers).
 */
final class NodeHttp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What came back: a status and a JSON body (MissingNode when there was none or it was not JSON). */
    record Reply(int status, JsonNode body) {

        boolean ok() {
            return status == 200;
        }

        /** The error's code and message, for exceptions and events. */
        String describe() {
            return status + " " + body.path("error").asText("") + ": " + body.path("message").asText(body.toString());
        }
    }

    private final String token;
    private final ExecutorService executor;
    private final HttpClient client;

    NodeHttp(String token) {
        this.token = token;
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sim-http");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).executor(executor).build();
    }

    /** Completes with the reply, or exceptionally when no answer came within {@code timeout}. */
    CompletableFuture<Reply> send(String method, String address, String pathAndQuery, byte[] body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + address + pathAndQuery))
                .timeout(timeout).header("Authorization", "Bearer " + token);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(r -> new Reply(r.statusCode(), parse(r.body())));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Blocking form for the scenario and the status board. */
    Reply call(String method, String address, String pathAndQuery, Duration timeout) throws Exception {
        return send(method, address, pathAndQuery, null, timeout).get(timeout.toMillis() + 1000,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? MissingNode.getInstance() : JSON.readTree(body);
        } catch (java.io.IOException e) {
            return MissingNode.getInstance();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
