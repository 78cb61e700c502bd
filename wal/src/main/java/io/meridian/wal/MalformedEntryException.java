package io.meridian.wal;

/**
 * Bytes that are not a valid {@link ShippedEntryFormat} entry: truncated, an unknown type, an origin
 * that is not UTF-8, a negative length, an index below 1, or a payload its type does not allow. Checked, because the bytes usually come
 * from another region or another node and the caller must decide what a bad one means.
 */
public final class MalformedEntryException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedEntryException(String message) {
        super(message);
    }

    public MalformedEntryException(String message, Throwable cause) {
        super(message, cause);
    }
}
