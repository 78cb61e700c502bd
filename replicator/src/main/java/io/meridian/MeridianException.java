package io.meridian;

/**
 * Base of every error the Replicator API raises on purpose. {@link #isRetriable()} says whether the
 * same request may succeed if sent again (possibly to another node).
 *
 * <p>The set: {@link NotLeaderException}, {@link NotPrimaryException}, {@link SwitchingException},
 * {@link FencedException}, {@link OverloadedException}, {@link MeridianTimeoutException},
 * {@link PromotionRefusedException}, {@link ReplicatorClosedException}, {@link StaleSessionException},
 * {@link LagExceededException}, {@link LeaseUnavailableException}, {@link PositionLostException}
 * ({@link OutcomeUnknownException} is the parent of {@link MeridianTimeoutException}). Invalid arguments raise the
 * JDK's {@link IllegalArgumentException}.
 */
public abstract class MeridianException extends RuntimeException {

    protected MeridianException(String message) {
        super(message);
    }

    protected MeridianException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True if repeating the request later (or elsewhere) may succeed. */
    public abstract boolean isRetriable();
}
