package io.meridian.wal;

/** See {@link Wal} for when this is raised. */
public class WalReleasedException extends WalException {
    public WalReleasedException(String message) {
        super(message);
    }

    public WalReleasedException(String message, Throwable cause) {
        super(message, cause);
    }
}
