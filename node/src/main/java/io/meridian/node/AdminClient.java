package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A small client for the admin API, used by {@code meridian ctl} and the launcher. It sends the
 * bearer token (when it has one) with every request, and talks HTTPS when given a TLS context.
 */
public final class AdminClient {

    /** What to tell a ctl user whose request was refused with 401. */
    static final String AUTH_HINT = " (ctl sends the token from --token-file FILE, else --dir DIR (DIR/admin.token), else "
            + AdminToken.VARIABLE + ", else ./run/admin.token)";

    /** An answer: its status and its JSON body (a MissingNode when the body is not JSON). */
    public record Reply(int status, JsonNode json, String text) {
        public boolean ok() {
            return status / 100 == 2;
        }

        /** The error message of a JSON error body, else the raw body. */
        public String message() {
            return json.hasNonNull("message") ? json.get("message").asText() : text;
        }
    }

    private final HttpClient http;
    private final Duration timeout;
    private final String token;
    private final String scheme;

    /** A client without a token: enough for {@code /health}, every other path answers 401. */
    public AdminClient(Duration timeout) {
        this(timeout, null, null);
    }

    /**
     * @param token the admin token to send as {@code Authorization: Bearer}, or null
     * @param tls   talk HTTPS with this context (its trust decides which servers are accepted), or null for HTTP
     */
    public AdminClient(Duration timeout, String token, SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder()
                // The admin API is HTTP/1.1: an h2c upgrade attempt with a request body can lose the body.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
        this.timeout = timeout;
        this.token = token;
        this.scheme = tls == null ? "http://" : "https://";
    }

    public Reply get(String address, String path) throws IOException {
        return send("GET", address, path, null);
    }

    public Reply send(String method, String address, String path, byte[] body) throws IOException {
        return send(method, address, path, body, java.util.Map.of());
    }

    /** With extra request headers (e.g. {@code Idempotency-Key}). */
    public Reply send(String method, String address, String path, byte[] body, java.util.Map<String, String> headers)
            throws IOException {
        try {
            return sendAsync(method, address, path, body, headers).join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
        }
    }

    public CompletableFuture<Reply> sendAsync(String method, String address, String path, byte[] body) {
        return sendAsync(method, address, path, body, java.util.Map.of());
    }

    public CompletableFuture<Reply> sendAsync(String method, String address, String path, byte[] body,
                                              java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + address + path))
                .timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Reply(r.statusCode(),
                parse(r.body()), r.body()));
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = Http.JSON.readTree(body);
            return n == null ? MissingNode.getInstance() : n;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
