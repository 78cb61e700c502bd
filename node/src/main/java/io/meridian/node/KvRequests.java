package io.meridian.node;

import io.meridian.Position;
import io.meridian.ReadLevel;
import io.meridian.WriteOptions;

import java.time.Duration;

/**
 * How a {@code /kv} request says what it wants, turned into the API's {@link WriteOptions} and
 * {@link ReadLevel}: {@code Idempotency-Key} header and {@code forward} for writes; {@code level}
 * (with {@code position} or {@code max_lag_ms}) and {@code forward} for reads. {@code consistency}
 * is the older spelling of {@code level} ({@code stale} = {@code local}).
 */
final class KvRequests {

    static final String IDEMPOTENCY_KEY = "idempotency-key";

    private KvRequests() {
    }

    static WriteOptions writeOptions(Http.Request r) {
        WriteOptions options = WriteOptions.defaults();
        Boolean forward = forward(r);
        if (forward != null) {
            options = options.forward(forward);
        }
        String key = r.header(IDEMPOTENCY_KEY);
        if (key != null) {
            try {
                options = options.idempotencyKey(key.trim());
            } catch (IllegalArgumentException e) {
                throw new Http.Error(400, "bad_header", "Idempotency-Key: " + e.getMessage());
            }
        }
        return options;
    }

    static ReadLevel readLevel(Http.Request r) {
        String level = r.param("level");
        if (level == null) {
            level = r.query().getOrDefault("consistency", "linearizable");
        }
        return switch (level) {
            case "linearizable" -> {
                Boolean forward = forward(r);
                yield forward == null ? ReadLevel.linearizable() : ReadLevel.linearizable().forward(forward);
            }
            case "session" -> ReadLevel.session(position(r.requireParam("position")));
            case "bounded" -> ReadLevel.bounded(Duration.ofMillis(nonNegative("max_lag_ms", r.requireParam("max_lag_ms"))));
            case "local", "stale" -> ReadLevel.local();
            default -> throw new Http.Error(400, "bad_parameter",
                    "level must be linearizable, session, bounded or local, got '" + level + "'");
        };
    }

    private static Boolean forward(Http.Request r) {
        String f = r.param("forward");
        if (f == null) {
            return null;
        }
        if (!f.equals("true") && !f.equals("false")) {
            throw new Http.Error(400, "bad_parameter", "forward must be true or false, got '" + f + "'");
        }
        return Boolean.parseBoolean(f);
    }

    /** {@code EPOCH:INDEX}, as a write's answer gives it ({@code "epoch"}, {@code "index"}). */
    private static Position position(String text) {
        String[] parts = text.split(":", 2);
        if (parts.length != 2) {
            throw new Http.Error(400, "bad_parameter", "position must be EPOCH:INDEX, got '" + text + "'");
        }
        return new Position(nonNegative("position", parts[0]), nonNegative("position", parts[1]));
    }

    private static long nonNegative(String name, String text) {
        try {
            long v = Long.parseLong(text.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Http.Error(400, "bad_parameter", name + " must be a non-negative integer, got '" + text + "'");
    }
}
