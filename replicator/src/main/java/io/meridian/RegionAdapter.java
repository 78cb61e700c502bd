package io.meridian;

import io.meridian.raft.ClusterState;
import io.meridian.raft.EpochChange;
import io.meridian.raft.Outcome;
import io.meridian.raft.RaftCommand;
import io.meridian.raft.RegionException;
import io.meridian.raft.RegionNode;
import io.meridian.wal.Wal;
import io.meridian.wal.WalEntry;
import io.meridian.xregion.LocalRegion;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** The region as the cross-region agent sees it, backed by this node's {@link RegionNode} and WAL. */
final class RegionAdapter implements LocalRegion {

    private final NodeRuntime runtime;
    private final RegionNode node;
    private final BiConsumer<Long, String> higherEpochSink;
    private volatile long handOverCacheEpoch = -1;
    private volatile long handOverIndex = -1;

    RegionAdapter(NodeRuntime runtime, BiConsumer<Long, String> higherEpochSink) {
        this.runtime = runtime;
        this.node = runtime.regionNode();
        this.higherEpochSink = higherEpochSink;
    }

    @Override
    public String regionName() {
        return runtime.ctx().region();
    }

    @Override
    public boolean isLeader() {
        return node.isLeader();
    }

    @Override
    public ClusterState state() {
        return node.clusterState();
    }

    @Override
    public Wal wal() {
        return runtime.wal();
    }

    @Override
    public String leaderAeronEndpoint() {
        String raft = node.leaderEndpoint();
        if (raft.isEmpty()) {
            return "";
        }
        return runtime.topology().nodeByRaftEndpoint(raft).map(ClusterTopology.NodeSpec::aeronEndpoint).orElse("");
    }

    @Override
    public long shipLimit(String remoteRegion) {
        if (!node.isLeader()) {
            return -1;
        }
        ClusterState s = node.clusterState();
        if (s.isPrimary(regionName())) {
            return Long.MAX_VALUE;
        }
        // A region that handed over by switchover still owes the new primary everything up to and
        // including the hand-over entry (which may not have been shipped yet).
        if (s.primaryRegion().equals(remoteRegion) && s.epoch() == s.fencedEpoch()) {
            long h = handOverIndex(s);
            return h;
        }
        return -1;
    }

    private long handOverIndex(ClusterState s) {
        if (handOverCacheEpoch == s.epoch()) {
            return handOverIndex;
        }
        long index = -1;
        List<ClusterState.EpochStart> starts = s.epochStarts();
        ClusterState.EpochStart last = starts.get(starts.size() - 1);
        if (last.epoch() == s.epoch() && last.firstIndex() >= runtime.wal().firstIndex()
                && last.firstIndex() <= runtime.wal().lastIndex()) {
            WalEntry e = runtime.wal().read(last.firstIndex());
            if (e.type() == WalEntry.TYPE_CONTROL && e.originRegion().equals(regionName())
                    && EpochChange.decode(e.payload()).reason() == EpochChange.Reason.SWITCHOVER) {
                index = e.index();
            }
        }
        handOverIndex = index;
        handOverCacheEpoch = s.epoch();
        return index;
    }

    @Override
    public CompletableFuture<BatchOutcome> proposeBatch(long senderEpoch, List<WalEntry> entries) {
        return node.propose(new RaftCommand.Batch(senderEpoch, entries)).handle((outcome, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                boolean notLeader = cause instanceof RegionException re && re.kind() == RegionException.Kind.NOT_LEADER;
                return new Failed(notLeader, cause.getMessage());
            }
            if (outcome instanceof Outcome.Done d) {
                return new Applied(d.appliedIndex(), d.applyStartNanos());
            }
            if (outcome instanceof Outcome.Gap g) {
                return new Gap(g.expectedIndex());
            }
            if (outcome instanceof Outcome.StaleEpoch st) {
                ClusterState s = st.state();
                return new Stale(Math.max(s.epoch(), s.fencedEpoch()), s.isFenced() ? s.fencedPrimary() : s.primaryRegion());
            }
            return new Failed(false, "unexpected outcome " + outcome);
        });
    }

    @Override
    public void onHigherEpoch(long epoch, String primaryRegion) {
        higherEpochSink.accept(epoch, primaryRegion);
    }
}
