package io.meridian.wal;

/** See {@link Wal} for when this is raised. */
public class WalConflictException extends WalException {
    public WalConflictException(String message) {
        super(message);
    }

    public WalConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
