package io.meridian.failover;

import java.util.Objects;

/**
 * Outcome of an operator command such as a switchover or promotion request.
 *
 * @param accepted whether the command started
 * @param message  why it was refused; empty when accepted
 */
public record CommandResult(boolean accepted, String message) {

    private static final CommandResult ACCEPTED = new CommandResult(true, "");

    public CommandResult {
        Objects.requireNonNull(message, "message");
    }

    public static CommandResult ok() {
        return ACCEPTED;
    }

    public static CommandResult refused(String message) {
        return new CommandResult(false, message);
    }
}
