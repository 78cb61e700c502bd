package io.meridian.transport;

import java.util.Objects;

/**
 * Outcome of decoding part of a frame: either a value or the reason the frame must be dropped.
 * Decoders return this instead of throwing, because bad input is expected, not exceptional.
 */
public record DecodeResult<T>(T value, DropCounters.Reason reason) {

    public static <T> DecodeResult<T> ok(T value) {
        return new DecodeResult<>(Objects.requireNonNull(value, "value"), null);
    }

    public static <T> DecodeResult<T> drop(DropCounters.Reason reason) {
        return new DecodeResult<>(null, Objects.requireNonNull(reason, "reason"));
    }

    public boolean isOk() {
        return reason == null;
    }
}
