package io.meridian.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.function.BooleanSupplier;

/**
 * The one idle strategy of Meridian's duty-cycle threads (the cross-region agent, the witness, the
 * embedded media driver): spin a little, yield a little, then park for at most
 * {@link #maxParkNanos()}.
 *
 * <p>Why 100 µs: every hop of a batch (shipper, driver send, driver receive, receiver) may find its
 * thread parked, so the longest park is added to the lag once per hop. Agrona's usual 1 ms costs up
 * to 4 ms per entry at low rates, more than the whole rest of a LAN trip. 100 µs keeps that under
 * half a millisecond while an idle thread still wakes only ~7,000 times a second (Linux rounds a
 * park up by its 50 µs timer slack), which a 2-core machine running a whole simulated cluster
 * affords. The shipper does not wait on it at all: it is unparked when an entry is applied
 * ({@code CrossRegionAgent.wake}).
 *
 * <p>Override with the system property {@value #MAX_PARK_PROPERTY} (nanoseconds, 1 µs..10 ms), e.g.
 * 1000000 on a machine where idle CPU matters more than lag.
 *
 * <p>Threads off the data path ({@link #strategy(BooleanSupplier)} while it answers false: a region
 * follower's agent, the witness) park up to {@link #OFF_PATH_MAX_PARK_NANOS} instead. Six agents and a
 * witness waking every 100 µs cost a 2-core machine a third of a core of context switches, time the
 * Raft threads of the same run then waited for.
 */
public final class AgentIdle {

    public static final String MAX_PARK_PROPERTY = "meridian.idle.maxParkNs";
    public static final long DEFAULT_MAX_PARK_NANOS = 100_000L;
    /** The longest park of a thread off the data path: Agrona's usual backoff. */
    public static final long OFF_PATH_MAX_PARK_NANOS = 1_000_000L;
    private static final long MIN_NANOS = 1_000L;
    private static final long MAX_NANOS = 10_000_000L;

    private AgentIdle() {
    }

    /** The longest park of an idle duty-cycle thread, from {@value #MAX_PARK_PROPERTY} or the default. */
    public static long maxParkNanos() {
        long v = Long.getLong(MAX_PARK_PROPERTY, DEFAULT_MAX_PARK_NANOS);
        if (v < MIN_NANOS || v > MAX_NANOS) {
            throw new IllegalArgumentException(MAX_PARK_PROPERTY + " must be within " + MIN_NANOS + ".." + MAX_NANOS
                    + " ns: " + v);
        }
        return v;
    }

    /** A fresh strategy (strategies hold per-thread state: one per thread). */
    public static IdleStrategy strategy() {
        return new BackoffIdleStrategy(10, 20, 1_000, maxParkNanos());
    }

    /**
     * A strategy that parks up to {@link #maxParkNanos()} while {@code onDataPath} answers true and up
     * to {@link #OFF_PATH_MAX_PARK_NANOS} while it answers false. It is asked on every idle, from the
     * duty-cycle thread: it must be cheap (a field of that thread's agent).
     */
    public static IdleStrategy strategy(BooleanSupplier onDataPath) {
        return new Modal(onDataPath, strategy(),
                new BackoffIdleStrategy(10, 20, 1_000, Math.max(maxParkNanos(), OFF_PATH_MAX_PARK_NANOS)));
    }

    /** An idle strategy off the data path for good (the witness). */
    public static IdleStrategy offPathStrategy() {
        return strategy(() -> false);
    }

    private record Modal(BooleanSupplier onDataPath, IdleStrategy hot, IdleStrategy cold) implements IdleStrategy {

        @Override
        public void idle(int workCount) {
            (onDataPath.getAsBoolean() ? hot : cold).idle(workCount);
        }

        @Override
        public void idle() {
            (onDataPath.getAsBoolean() ? hot : cold).idle();
        }

        @Override
        public void reset() {
            hot.reset();
            cold.reset();
        }
    }
}
