package io.meridian.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The admin API's request, response and error types, and its one JSON mapper. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Http() {
    }

    /** A request whose body has already been read (within the size limit). */
    record Request(String method, String path, Map<String, String> query, byte[] body, Map<String, String> headers) {

        Request(String method, String path, Map<String, String> query, byte[] body) {
            this(method, path, query, body, Map.of());
        }

        /** A request header's first value, or null; {@code name} in lower case. */
        String header(String name) {
            return headers.get(name);
        }

        String param(String name) {
            return query.get(name);
        }

        String requireParam(String name) {
            String v = query.get(name);
            if (v == null || v.isBlank()) {
                throw new Error(400, "missing_parameter", "query parameter '" + name + "' is required");
            }
            return v;
        }

        static Map<String, String> parseQuery(String raw) {
            Map<String, String> out = new LinkedHashMap<>();
            if (raw == null || raw.isEmpty()) {
                return out;
            }
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                out.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
            }
            return out;
        }

        static String decode(String s) {
            try {
                return URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Error(400, "bad_encoding", "malformed percent-encoding in '" + s + "'");
            }
        }
    }

    /** What a handler answers. */
    record Response(int status, String contentType, byte[] body) {

        static Response json(int status, Object value) {
            try {
                return new Response(status, "application/json", JSON.writeValueAsBytes(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise a response", e);
            }
        }

        static Response text(int status, String contentType, String body) {
            return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A failure to report as {@code {"error": code, "message": ..., extra...}} with an HTTP status. */
    static final class Error extends RuntimeException {
        final int status;
        final String code;
        final Map<String, Object> extra = new LinkedHashMap<>();

        Error(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        Error with(String key, Object value) {
            extra.put(key, value);
            return this;
        }

        Response toResponse() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", code);
            body.put("message", getMessage());
            body.putAll(extra);
            return Response.json(status, body);
        }
    }
}
