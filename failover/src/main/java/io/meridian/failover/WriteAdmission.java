package io.meridian.failover;

import java.util.Objects;

/**
 * Whether a write may be proposed now.
 *
 * @param refusal why not, or {@code null} when admitted
 * @param message human-readable reason naming the primary region and epoch; empty when admitted
 */
public record WriteAdmission(Refusal refusal, String message) {

    /** The write may proceed. */
    public static final WriteAdmission ADMIT = new WriteAdmission(null, "");

    public WriteAdmission {
        Objects.requireNonNull(message, "message");
    }

    public static WriteAdmission refused(Refusal refusal, String message) {
        return new WriteAdmission(Objects.requireNonNull(refusal, "refusal"), message);
    }

    public boolean admitted() {
        return refusal == null;
    }
}
