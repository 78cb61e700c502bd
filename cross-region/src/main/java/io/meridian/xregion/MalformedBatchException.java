package io.meridian.xregion;

/**
 * A received batch cannot be decoded: bad counts, lengths, indexes or compression. Checked on purpose:
 * batches come from the network, and a receiver that forgot to handle this would let one corrupt
 * frame kill its agent thread instead of rejecting the frame.
 */
public final class MalformedBatchException extends Exception {

    public MalformedBatchException(String message) {
        super(message);
    }

    public MalformedBatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
