package io.meridian.wal;

/** See {@link Wal} for when this is raised. */
public class WalCorruptionException extends WalException {
    public WalCorruptionException(String message) {
        super(message);
    }

    public WalCorruptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
