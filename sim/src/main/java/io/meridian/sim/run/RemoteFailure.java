package io.meridian.sim.run;

/**
 * A failed HTTP call to a node process, classified from the JSON error body: {@code "outcome":
 * "not_applied"} (or a read refused) means definitely not applied, everything else — {@code unknown},
 * no outcome field, no answer at all — leaves the outcome unknown.
 */
public final class RemoteFailure extends RuntimeException {

    private final boolean notApplied;

    public RemoteFailure(String message, boolean notApplied) {
        super(message, null, false, false);
        this.notApplied = notApplied;
    }

    public boolean notApplied() {
        return notApplied;
    }
}
