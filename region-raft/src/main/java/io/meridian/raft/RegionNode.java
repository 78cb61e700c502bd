package io.meridian.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import io.meridian.wal.Wal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One node of a region: a SOFAJRaft node whose state machine writes the cluster log to the WAL.
 * This class only adapts JRaft to Meridian's vocabulary; the meaning of entries lives in
 * {@link RegionStateMachine}.
 */
public final class RegionNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegionNode.class);

    private final RegionNodeConfig config;
    private final RegionStateMachine fsm;
    private RaftGroupService service;
    private Node node;
    private volatile boolean closed;

    public RegionNode(RegionNodeConfig config, Wal wal, CommittedEntryHandler handler, RegionListener listener) {
        this.config = config;
        this.fsm = new RegionStateMachine(config.region(), config.nodeId(), config.initialPrimary(), wal, handler,
                listener);
    }

    /** Starts the Raft node (joins or forms the region's group). */
    public synchronized void start() {
        if (node != null) {
            throw new IllegalStateException("already started");
        }
        NodeOptions options = new NodeOptions();
        options.setFsm(fsm);
        options.setElectionTimeoutMs(config.electionTimeoutMs());
        Path raftDir = config.dataDir().resolve("raft");
        try {
            java.nio.file.Files.createDirectories(raftDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create Raft directory " + raftDir + ": " + e.getMessage(), e);
        }
        options.setLogUri(raftDir.resolve("log").toString());
        options.setRaftMetaUri(raftDir.resolve("meta").toString());
        options.setSnapshotUri(raftDir.resolve("snapshot").toString());
        options.setSnapshotIntervalSecs(config.snapshotIntervalSecs());
        options.setSnapshotLogIndexMargin(config.snapshotLogIndexMargin());
        options.setDisableCli(true);
        // Many nodes share one JVM in tests and the simulator: share JRaft's timer threads.
        options.setSharedElectionTimer(true);
        options.setSharedVoteTimer(true);
        options.setSharedStepDownTimer(true);
        options.setSharedSnapshotTimer(true);
        RaftOptions raftOptions = new RaftOptions();
        raftOptions.setSync(config.fsync());
        options.setRaftOptions(raftOptions);
        Configuration conf = new Configuration();
        // A node joining a running region starts with no configuration: it waits for the leader to add
        // it (as a peer or a learner) instead of campaigning with a made-up one; after that its
        // configuration comes from its own Raft log and snapshots, restarts included.
        for (String peer : config.join() ? List.<String>of() : config.peers()) {
            conf.addPeer(toPeer(peer));
        }
        options.setInitialConf(conf);
        service = config.raftBindEndpoint() == null
                ? new RaftGroupService(groupId(), toPeer(config.raftEndpoint()), options)
                : new RaftGroupService(groupId(), toPeer(config.raftEndpoint()), options, boundRpcServer(config.raftBindEndpoint()));
        node = service.start();
        LOG.info("{}/{}: Raft node started at {} with peers {}", config.region(), config.nodeId(),
                config.raftEndpoint(), config.peers());
    }

    /**
     * JRaft's own RPC server listens on every address at the peer's port; this one listens on one
     * address (and port), with the same Raft request processors.
     */
    private static com.alipay.sofa.jraft.rpc.RpcServer boundRpcServer(String bindEndpoint) {
        PeerId bind = toPeer(bindEndpoint);
        com.alipay.sofa.jraft.rpc.RpcServer server = new com.alipay.sofa.jraft.rpc.impl.BoltRpcServer(
                new com.alipay.remoting.rpc.RpcServer(bind.getIp(), bind.getPort(), true));
        com.alipay.sofa.jraft.rpc.RaftRpcServerFactory.addRaftRequestProcessors(server);
        return server;
    }

    private String groupId() {
        return "meridian-" + config.region();
    }

    static PeerId toPeer(String endpoint) {
        PeerId peer = new PeerId();
        if (!peer.parse(endpoint)) {
            throw new IllegalArgumentException("not a Raft peer endpoint: " + endpoint);
        }
        return peer;
    }

    /** Proposes a command; completes once applied in the region, or fails with {@link RegionException}. */
    public CompletableFuture<Outcome> propose(RaftCommand command) {
        Node n = node;
        if (n == null || closed) {
            return CompletableFuture.failedFuture(new RegionException(RegionException.Kind.SHUTDOWN,
                    "region node is not running", ""));
        }
        // Non-blocking: JRaft's isLeader() takes the node's read lock, which every write (and the
        // agent's duty cycle) would contend for with JRaft's own threads. The state field is volatile;
        // if it is stale, apply() refuses with "Is not leader" before appending (NOT_LEADER).
        if (!n.isLeader(false)) {
            return CompletableFuture.failedFuture(new RegionException(RegionException.Kind.NOT_LEADER,
                    "node " + config.nodeId() + " is not the leader of region " + config.region(), leaderEndpoint()));
        }
        ProposalClosure closure = new ProposalClosure(this);
        Task task = new Task(ByteBuffer.wrap(RaftCommand.encode(command)), closure);
        n.apply(task);
        return closure.future();
    }

    /**
     * Completes once this node has applied everything committed before the call (JRaft ReadIndex):
     * a read of local state after that is linearizable.
     */
    public CompletableFuture<Void> readBarrier() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        Node n = node;
        if (n == null || closed) {
            future.completeExceptionally(new RegionException(RegionException.Kind.SHUTDOWN, "region node is not running", ""));
            return future;
        }
        n.readIndex(new byte[0], new ReadIndexClosure() {
            @Override
            public void run(Status status, long index, byte[] reqCtx) {
                if (status.isOk()) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(RegionException.from(status, leaderEndpoint()));
                }
            }
        });
        return future;
    }

    /**
     * True once this node leads the region and has applied everything committed before its term
     * (JRaft's onLeaderStart): only then does its state reflect the whole log.
     */
    public boolean isLeader() {
        Node n = node;
        return n != null && !closed && fsm.isLeader() && n.isLeader(false); // lock-free: see propose
    }

    /** Raft endpoint of the current leader as this node knows it, or empty. */
    public String leaderEndpoint() {
        Node n = node;
        if (n == null) {
            return "";
        }
        PeerId leader = n.getLeaderId();
        return leader == null || leader.isEmpty() ? "" : leader.getEndpoint().toString();
    }

    public ClusterState clusterState() {
        return fsm.state();
    }

    public long commitRaftIndex() {
        Node n = node;
        if (n == null) {
            return 0;
        }
        try {
            return n.getLastCommittedIndex();
        } catch (IllegalStateException e) {
            return 0; // JRaft refuses in its error state (see failure()); health must still answer
        }
    }

    public long appliedRaftIndex() {
        Node n = node;
        return n == null ? 0 : n.getLastAppliedLogIndex();
    }

    /** Cluster-log index covered by this node's newest local snapshot (0 before the first). */
    public long snapshotIndex() {
        return fsm.snapshotIndex();
    }

    /**
     * Why this node stopped applying committed entries (its user state machine threw, its WAL failed,
     * or JRaft entered its error state); "" while it applies normally. Cleared only by a restart.
     */
    public String failure() {
        return fsm.failure();
    }

    public long term() {
        return fsm.lastAppliedTerm();
    }

    public CompletableFuture<Void> transferLeadership(String endpoint) {
        Status status = node.transferLeadershipTo(toPeer(endpoint));
        return status.isOk() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(RegionException.from(status, leaderEndpoint()));
    }

    public CompletableFuture<Void> addPeer(String endpoint) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        node.addPeer(toPeer(Endpoints.parse("peer", endpoint)), status -> complete(future, status));
        return future;
    }

    public CompletableFuture<Void> removePeer(String endpoint) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        node.removePeer(toPeer(Endpoints.parse("peer", endpoint)), status -> complete(future, status));
        return future;
    }

    /** Adds a learner (an observer: gets the log, never votes); call on the leader. */
    public CompletableFuture<Void> addLearner(String endpoint) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        node.addLearners(List.of(toPeer(Endpoints.parse("learner", endpoint))), status -> complete(future, status));
        return future;
    }

    public CompletableFuture<Void> removeLearner(String endpoint) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        node.removeLearners(List.of(toPeer(Endpoints.parse("learner", endpoint))), status -> complete(future, status));
        return future;
    }

    /**
     * The Raft configuration's voters ({@code host:port}), as the leader knows it; empty on any other
     * node (JRaft only answers on the leader). Takes JRaft's node lock: never call from a JRaft callback.
     */
    public List<String> raftPeers() {
        return endpoints(true);
    }

    /** The Raft configuration's learners, as the leader knows it; empty elsewhere (see {@link #raftPeers()}). */
    public List<String> raftLearners() {
        return endpoints(false);
    }

    private List<String> endpoints(boolean voters) {
        Node n = node;
        if (n == null || closed) {
            return List.of();
        }
        try {
            List<PeerId> peers = voters ? n.listPeers() : n.listLearners();
            return peers.stream().map(p -> p.getEndpoint().toString()).toList();
        } catch (IllegalStateException notLeader) {
            return List.of();
        }
    }

    /** Takes a Raft snapshot now (user state + cluster state + WAL position). */
    public CompletableFuture<Void> snapshot() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        node.snapshot(status -> complete(future, status));
        return future;
    }

    private void complete(CompletableFuture<Void> future, Status status) {
        if (status.isOk()) {
            future.complete(null);
        } else {
            future.completeExceptionally(RegionException.from(status, leaderEndpoint()));
        }
    }

    /** The file of the newest local JRaft snapshot, if any (an image of this node's state). */
    public java.util.Optional<Path> latestSnapshotFile() {
        Path dir = config.dataDir().resolve("raft").resolve("snapshot");
        try (var stream = java.nio.file.Files.list(dir)) {
            return stream.filter(p -> p.getFileName().toString().startsWith("snapshot_"))
                    .max(java.util.Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString()
                            .substring("snapshot_".length()))))
                    .map(p -> p.resolve(SnapshotFile.NAME))
                    .filter(java.nio.file.Files::exists);
        } catch (java.io.IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    public RegionNodeConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (service != null) {
            try {
                service.shutdown();
                service.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("{}/{}: error while stopping Raft node: {}", config.region(), config.nodeId(), e.toString());
            }
        }
        LOG.info("{}/{}: Raft node stopped", config.region(), config.nodeId());
    }
}
