package io.meridian.transport;

/** Validation shared by {@link AeronTransport.Context#conclude()} and the transport's own checks. */
final class ContextChecks {

    private ContextChecks() {
    }

    static void requireEndpoint(String endpoint, String what) {
        requireText(endpoint, what);
        int colon = endpoint.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(endpoint.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " must be host:port, got '" + endpoint + "'");
        }
    }

    static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }
}
