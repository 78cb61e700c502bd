package io.meridian.raft;

/** Parses and validates {@code host:port} endpoint strings with errors that name the field. */
public final class Endpoints {

    private Endpoints() {
    }

    /** Returns the endpoint unchanged if valid, else throws an IllegalArgumentException naming {@code field}. */
    public static String parse(String field, String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException(field + ": endpoint is missing (expected host:port)");
        }
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            throw new IllegalArgumentException(field + ": '" + endpoint + "' is not host:port");
        }
        String host = endpoint.substring(0, colon);
        if (!host.matches("[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException(field + ": '" + endpoint + "' has an invalid host '" + host + "'");
        }
        int port;
        try {
            port = Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + endpoint + "' has a non-numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(field + ": '" + endpoint + "' port out of range 1-65535");
        }
        return endpoint;
    }
}
