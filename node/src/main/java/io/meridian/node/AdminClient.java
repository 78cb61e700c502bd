package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small client for the admin API, used by {@code meridian ctl} and the launcher. */
public final class AdminClient {

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

    private final HttpClient http = HttpClient.newBuilder()
            // The admin API is HTTP/1.1: an h2c upgrade attempt with a request body can lose the body.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Duration timeout;

    public AdminClient(Duration timeout) {
        this.timeout = timeout;
    }

    public Reply get(String address, String path) throws IOException {
        return send("GET", address, path, null);
    }

    public Reply send(String method, String address, String path, byte[] body) throws IOException {
        try {
            return sendAsync(method, address, path, body).join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
        }
    }

    public CompletableFuture<Reply> sendAsync(String method, String address, String path, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + path))
                .timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Reply(r.statusCode(),
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
