package io.meridian.wal;

/** See {@link Wal} for when this is raised. */
public class WalGapException extends WalException {
    public WalGapException(String message) {
        super(message);
    }

    public WalGapException(String message, Throwable cause) {
        super(message, cause);
    }
}
