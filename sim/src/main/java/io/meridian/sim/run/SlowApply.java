package io.meridian.sim.run;

import io.meridian.StateMachine;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A node's state machine with an adjustable pause before each apply. Intra-region Raft traffic does
 * not cross the WAN emulator, so this is how a scenario makes a region's commits reach its clients
 * late (as a slow disk or a long GC pause would): the write's outcome, and the lease check before its
 * acknowledgement, happen only after the apply.
 */
final class SlowApply implements StateMachine {

    private final StateMachine delegate;
    private volatile long pauseNanos;

    SlowApply(StateMachine delegate) {
        this.delegate = delegate;
    }

    void pause(Duration perApply) {
        pauseNanos = perApply.toNanos();
    }

    @Override
    public void apply(long index, byte[] payload) {
        long pause = pauseNanos;
        if (pause > 0) {
            // Before delegating, so the entry is not visible to readers during the pause either.
            LockSupport.parkNanos(pause);
        }
        delegate.apply(index, payload);
    }

    @Override
    public byte[] snapshot() {
        return delegate.snapshot();
    }

    @Override
    public void restore(byte[] snapshot) {
        delegate.restore(snapshot);
    }
}
