package io.meridian.sim.run;

import io.meridian.MeridianException;
import io.meridian.OutcomeUnknownException;
import io.meridian.sim.check.WriteRecord;
import io.meridian.sim.check.linear.Op;

import java.util.concurrent.CompletionException;

/**
 * How a failed client call is classified, following the Replicator's contract: every
 * {@link MeridianException} except {@link OutcomeUnknownException} (and its subclass
 * MeridianTimeoutException) means "definitely not applied"; an invalid argument was refused before
 * anything happened; anything else is unknown. The checker then holds Meridian to it: a FAIL write
 * found in a log is a violation (FAILED_WRITE_APPLIED), and FAIL ops are ignored by the
 * linearizability search, so a lie shows up as a non-linearizable read.
 */
final class Outcomes {

    private Outcomes() {
    }

    static Op.Outcome of(Throwable error) {
        Throwable cause = unwrap(error);
        boolean refused = (cause instanceof MeridianException && !(cause instanceof OutcomeUnknownException))
                || cause instanceof IllegalArgumentException
                || (cause instanceof RemoteFailure remote && remote.notApplied());
        return refused ? Op.Outcome.FAIL : Op.Outcome.UNKNOWN;
    }

    static WriteRecord.Status statusOf(Throwable error) {
        return of(error) == Op.Outcome.FAIL ? WriteRecord.Status.FAILED : WriteRecord.Status.UNKNOWN;
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
