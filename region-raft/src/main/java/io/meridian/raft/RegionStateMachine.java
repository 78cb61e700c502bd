package io.meridian.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import io.meridian.failover.VoterState;
import io.meridian.wal.SessionTag;
import io.meridian.wal.Wal;
import io.meridian.wal.WalEntry;
import io.meridian.wal.WalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JRaft state machine of one region node. For every committed Raft entry it decides, the same
 * way on every node, what the entry means for the cluster log, appends the result to this node's
 * WAL, applies data to the user's state, and tracks the replicated {@link ClusterState}.
 *
 * <p>Why the WAL append happens here and not on the proposal path: only committed entries may be
 * shipped to other regions, and every node (not just the leader) must hold the full history so a
 * new leader can continue shipping from its own WAL.
 */
final class RegionStateMachine extends StateMachineAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RegionStateMachine.class);

    private final String region;
    private final String nodeId;
    private final Wal wal;
    private final CommittedEntryHandler handler;
    private final RegionListener listener;
    private volatile ClusterState state;
    /** Client sessions (exactly-once writes); touched only on the apply thread and in snapshots. */
    private final SessionTable sessions = new SessionTable();
    private volatile long leaderTerm = -1;
    private volatile long lastAppliedTerm;
    private volatile long snapshotIndex;
    private volatile String failure = "";

    RegionStateMachine(String region, String nodeId, String initialPrimary, Wal wal, CommittedEntryHandler handler,
                       RegionListener listener) {
        this.region = region;
        this.nodeId = nodeId;
        this.wal = wal;
        this.handler = handler;
        this.listener = listener;
        this.state = ClusterState.initial(initialPrimary);
    }

    ClusterState state() {
        return state;
    }

    boolean isLeader() {
        return leaderTerm > 0;
    }

    long lastAppliedTerm() {
        return lastAppliedTerm;
    }

    /** Cluster-log index the newest local snapshot (saved or loaded) covers; 0 before the first. */
    long snapshotIndex() {
        return snapshotIndex;
    }

    /** Why this node's state machine stopped applying ("" while it runs). */
    String failure() {
        return failure;
    }

    @Override
    public void onApply(Iterator it) {
        List<WalEntry> applied = new ArrayList<>();
        ClusterState before = state;
        try {
            while (it.hasNext()) {
                Closure done = it.done();
                Outcome outcome;
                try {
                    outcome = apply(RaftCommand.decode(it.getData()), it.getIndex(), it.getTerm(), applied);
                } catch (UserStateFailure e) {
                    // The user's state did not take this entry (and, applied first, neither did the WAL):
                    // stop here rather than skip it. JRaft's error state stops this node applying; the
                    // entry stays in the Raft log for a restart, the rest of the region carries on.
                    failure = "state machine failed at index " + e.index() + ": " + e.getCause();
                    LOG.error("{}/{}: user state machine threw at cluster index {} (Raft index {}); stopping this "
                            + "node's state machine", region, nodeId, e.index(), it.getIndex(), e.getCause());
                    it.setErrorAndRollback(1, new Status(RaftError.ESTATEMACHINE, "%s", failure));
                    return;
                } catch (WalException e) {
                    failure = "WAL failed at Raft index " + it.getIndex() + ": " + e;
                    // A WAL we cannot write (full disk, corruption) must stop this node: skipping the
                    // entry would leave a hole in its history. The entry stays in the Raft log.
                    LOG.error("{}/{}: WAL append failed at Raft index {}; stopping this node's state machine",
                            region, nodeId, it.getIndex(), e);
                    it.setErrorAndRollback(1, new Status(RaftError.EIO, "WAL failure: %s", e.getMessage()));
                    return;
                } catch (RuntimeException e) {
                    LOG.error("{}/{}: cannot apply Raft entry {}: {}", region, nodeId, it.getIndex(), e.toString());
                    outcome = new Outcome.Done(state.appliedIndex());
                    if (done != null) {
                        done.run(new Status(RaftError.EINVAL, "cannot apply: %s", e.getMessage()));
                        done = null;
                    }
                }
                lastAppliedTerm = it.getTerm();
                if (done != null) {
                    if (done instanceof ProposalClosure proposal) {
                        proposal.setOutcome(outcome);
                    }
                    done.run(Status.OK());
                }
                it.next();
            }
        } finally {
            ClusterState after = state;
            if (!applied.isEmpty()) {
                listener.onApplied(applied, after);
            }
            if (epochOrFenceChanged(before, after)) {
                listener.onClusterStateChanged(after);
            }
        }
    }

    /** The user's state machine threw while taking the entry at {@code index}. */
    private static final class UserStateFailure extends RuntimeException {
        private final long index;

        UserStateFailure(long index, RuntimeException cause) {
            super(cause);
            this.index = index;
        }

        long index() {
            return index;
        }
    }

    private static boolean epochOrFenceChanged(ClusterState a, ClusterState b) {
        return a.epoch() != b.epoch() || a.fencedEpoch() != b.fencedEpoch() || a.votedEpoch() != b.votedEpoch()
                || !a.votedFor().equals(b.votedFor())
                || !a.primaryRegion().equals(b.primaryRegion()) || b.appliedIndex() < a.appliedIndex();
    }

    private Outcome apply(RaftCommand command, long raftIndex, long raftTerm, List<WalEntry> applied) {
        if (command instanceof RaftCommand.Write w) {
            ClusterState s = state;
            if (!s.isPrimary(region) || w.epoch() != s.epoch()) {
                return new Outcome.NotPrimary(s);
            }
            if (w.session() != null) {
                // Decided here, at the write's place in the log, so every node answers a retry alike.
                SessionTable.Check check = sessions.check(w.session());
                if (check instanceof SessionTable.Duplicate d) {
                    return new Outcome.Duplicate(d.epoch(), d.index());
                }
                if (check instanceof SessionTable.Stale st) {
                    return new Outcome.StaleSession(st.lastSequence());
                }
            }
            WalEntry entry = new WalEntry(s.appliedIndex() + 1, raftIndex, raftTerm, s.epoch(), region,
                    w.timestampMillis(), w.session() == null ? WalEntry.TYPE_DATA : WalEntry.TYPE_SESSION_DATA,
                    w.entryPayload());
            appendAndApply(entry, applied);
            return new Outcome.Applied(s.epoch(), entry.index());
        }
        if (command instanceof RaftCommand.Member m) {
            ClusterState s = state;
            if (!s.isPrimary(region) || m.epoch() != s.epoch()) {
                return new Outcome.NotPrimary(s);
            }
            WalEntry entry = new WalEntry(s.appliedIndex() + 1, raftIndex, raftTerm, s.epoch(), region,
                    m.timestampMillis(), WalEntry.TYPE_CONTROL, m.change().encode());
            appendAndApply(entry, applied);
            return new Outcome.Applied(s.epoch(), entry.index());
        }
        if (command instanceof RaftCommand.Batch b) {
            return applyBatch(b, raftIndex, raftTerm, applied);
        }
        if (command instanceof RaftCommand.EpochChangeCommand ec) {
            ClusterState s = state;
            if (ec.change().newEpoch() <= s.epoch()) {
                return new Outcome.StaleEpoch(s);
            }
            if (s.votedEpoch() > ec.change().newEpoch() || (s.votedEpoch() == ec.change().newEpoch()
                    && !s.votedFor().equals(ec.change().primaryRegion()))) {
                // This region's vote for that epoch went to another candidate (it yielded) after the
                // change was proposed: proposing it would make two primaries of one epoch.
                return new Outcome.StaleEpoch(s);
            }
            // The basis is fixed here, at the entry's place in the log, not when the change was
            // requested: batches applied in between belong to the old epoch and are kept.
            EpochChange change = new EpochChange(ec.change().newEpoch(), ec.change().primaryRegion(),
                    s.appliedIndex(), ec.change().reason());
            WalEntry entry = new WalEntry(s.appliedIndex() + 1, raftIndex, raftTerm, change.newEpoch(), region,
                    ec.timestampMillis(), WalEntry.TYPE_CONTROL, change.encode());
            appendAndApply(entry, applied);
            return new Outcome.Applied(entry.epoch(), entry.index());
        }
        if (command instanceof RaftCommand.Fence f) {
            state = state.withFence(f.epoch(), f.primaryRegion());
            return new Outcome.Done(state.appliedIndex());
        }
        if (command instanceof RaftCommand.Vote v) {
            // The one voter rule, applied at the vote's place in the log: of two candidates asking
            // for the same epoch, whichever committed first wins this region's vote on every node.
            if (state.isPrimary(region) && !v.candidate().equals(region)) {
                // A primary never votes another region in: its own lease counts its own vouch, so a
                // promise from it would not stop it writing. Without its vote the candidate needs the
                // other voters, and those stop vouching for this primary.
                return new Outcome.Vote(false, "region " + region + " is the primary of epoch " + state.epoch(), state);
            }
            VoterState.VoteDecision decision = state.voter().onVote(v.epoch(), v.candidate(), region, v.mayYield());
            if (decision.granted()) {
                state = state.withVote(decision.next().votedEpoch(), decision.next().votedFor());
            }
            return new Outcome.Vote(decision.granted(), decision.reason(), state);
        }
        RaftCommand.InstallImage image = (RaftCommand.InstallImage) command;
        SessionTable imageSessions;
        try {
            imageSessions = SessionTable.decode(image.sessions());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("corrupt session table in state image: " + e.getMessage(), e);
        }
        try {
            handler.restore(image.userSnapshot());
        } catch (RuntimeException e) {
            throw new UserStateFailure(image.state().appliedIndex(), e);
        }
        sessions.replaceWith(imageSessions);
        ClusterState imageState = image.state();
        wal.reset(imageState.appliedIndex());
        ClusterState s = state;
        ClusterState installed = imageState.fencedEpoch() >= s.fencedEpoch() ? imageState
                : imageState.withFence(s.fencedEpoch(), s.fencedPrimary());
        // A promise is this region's own and must survive the image: the primary's promises are not ours.
        state = installed.withVote(s.votedEpoch(), s.votedFor());
        LOG.info("{}/{}: installed state image at index {} (epoch {}, primary {}); WAL restarts after it",
                region, nodeId, imageState.appliedIndex(), imageState.epoch(), imageState.primaryRegion());
        return new Outcome.Done(imageState.appliedIndex());
    }

    private Outcome applyBatch(RaftCommand.Batch b, long raftIndex, long raftTerm, List<WalEntry> applied) {
        long startNanos = System.nanoTime();
        if (b.senderEpoch() < Math.max(state.epoch(), state.fencedEpoch())) {
            return new Outcome.StaleEpoch(state);
        }
        for (WalEntry e : b.entries()) {
            long next = state.appliedIndex() + 1;
            if (e.index() < next) {
                continue; // already applied: a resent batch after a lost ack or a leader change
            }
            if (e.index() > next) {
                return new Outcome.Gap(next, state.appliedIndex());
            }
            appendAndApply(e.withRaftPosition(raftIndex, raftTerm), applied);
        }
        return new Outcome.Done(state.appliedIndex(), startNanos);
    }

    /**
     * The user's state takes a data entry before the WAL does: if the user's apply throws, neither
     * holds the entry, so the WAL (what this node ships, what a restart compares against) never holds
     * an entry this node's state did not take. If the WAL append then fails, the node stops too and a
     * restart rebuilds the user state from the snapshot and replays the Raft log.
     */
    private void appendAndApply(WalEntry entry, List<WalEntry> applied) {
        if (entry.isData()) {
            try {
                handler.applyData(entry);
            } catch (RuntimeException e) {
                throw new UserStateFailure(entry.index(), e);
            }
            wal.append(entry);
            SessionTag tag = SessionTag.of(entry);
            if (tag != null) {
                // Every region records it as the entry passes, so a promoted secondary dedupes alike.
                sessions.record(tag, entry.epoch(), entry.index());
            }
            state = state.withApplied(entry.index(), entry.epoch());
        } else if (MemberChange.isMemberChange(entry.payload())) {
            wal.append(entry);
            MemberChange change = MemberChange.decode(entry.payload());
            state = state.withMemberChange(entry.index(), entry.epoch(), change);
            LOG.info("{}/{}: membership at index {}: {} {} of region {} (raft {}{})", region, nodeId, entry.index(),
                    change.op(), change.nodeId(), change.region(), change.raftEndpoint(),
                    change.observer() ? ", observer" : "");
        } else {
            wal.append(entry);
            EpochChange change = EpochChange.decode(entry.payload());
            state = state.withEpochChange(entry.index(), change.newEpoch(), change.primaryRegion(), change.basis());
            LOG.info("{}/{}: epoch {} begins at index {}: primary {} ({}, basis {})", region, nodeId,
                    change.newEpoch(), entry.index(), change.primaryRegion(), change.reason(), change.basis());
        }
        applied.add(entry);
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        try {
            Path file = Path.of(writer.getPath(), SnapshotFile.NAME);
            ClusterState saved = state;
            SnapshotFile.write(file, saved, handler.snapshot(), sessions.encode());
            if (writer.addFile(SnapshotFile.NAME)) {
                snapshotIndex = saved.appliedIndex();
                done.run(Status.OK());
            } else {
                done.run(new Status(RaftError.EIO, "cannot add snapshot file to %s", writer.getPath()));
            }
        } catch (Exception e) {
            LOG.error("{}/{}: snapshot save failed", region, nodeId, e);
            done.run(new Status(RaftError.EIO, "snapshot save failed: %s", e.getMessage()));
        }
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        Path file = Path.of(reader.getPath(), SnapshotFile.NAME);
        try {
            SnapshotFile.Contents contents = SnapshotFile.read(file);
            SessionTable loadedSessions = SessionTable.decode(contents.sessions());
            handler.restore(contents.userSnapshot());
            sessions.replaceWith(loadedSessions);
            ClusterState loaded = contents.state();
            if (wal.lastIndex() < loaded.appliedIndex()) {
                // This node missed entries that the snapshot already covers; its WAL restarts after the
                // snapshot so it stays gap-free. Older history is held by the snapshot, not the WAL.
                LOG.warn("{}/{}: WAL ends at {} but snapshot covers up to {}; WAL restarts after {}",
                        region, nodeId, wal.lastIndex(), loaded.appliedIndex(), loaded.appliedIndex());
                wal.reset(loaded.appliedIndex());
            }
            state = loaded;
            snapshotIndex = loaded.appliedIndex();
            listener.onClusterStateChanged(loaded);
            return true;
        } catch (Exception e) {
            LOG.error("{}/{}: snapshot load failed from {}", region, nodeId, file, e);
            return false;
        }
    }

    @Override
    public void onLeaderStart(long term) {
        leaderTerm = term;
        LOG.info("{}/{}: became region leader, term {}", region, nodeId, term);
        listener.onLeaderStart(term);
    }

    @Override
    public void onLeaderStop(Status status) {
        leaderTerm = -1;
        LOG.info("{}/{}: stopped leading: {}", region, nodeId, status);
        listener.onLeaderStop();
    }

    @Override
    public void onStartFollowing(LeaderChangeContext ctx) {
        LOG.debug("{}/{}: following {}", region, nodeId, ctx.getLeaderId());
    }

    @Override
    public void onError(RaftException e) {
        if (failure.isEmpty()) {
            failure = "Raft node in error state: " + e.getStatus();
        }
        LOG.error("{}/{}: Raft node in error state: {}", region, nodeId, e.getStatus());
    }
}
