package io.meridian;

import io.meridian.raft.CommittedEntryHandler;
import io.meridian.wal.WalEntry;

/** Adapts the user's three-method {@link StateMachine} to what the region's Raft state machine calls. */
final class UserStateAdapter implements CommittedEntryHandler {

    private final StateMachine userMachine;

    UserStateAdapter(StateMachine userMachine) {
        this.userMachine = userMachine;
    }

    @Override
    public void applyData(WalEntry entry) {
        userMachine.apply(entry.index(), io.meridian.wal.SessionTag.userPayload(entry));
    }

    @Override
    public byte[] snapshot() {
        return userMachine.snapshot();
    }

    @Override
    public void restore(byte[] snapshot) {
        userMachine.restore(snapshot);
    }
}
