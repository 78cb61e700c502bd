package io.meridian.bench;

import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline region: plain SOFAJRaft nodes in this JVM with a state machine that does nothing
 * but complete each entry's closure. Node options match Meridian's region nodes (election timeout,
 * fsync, shared timers, no CLI service) so that only Meridian's own work differs.
 */
final class RawRaftGroup implements AutoCloseable {

    private final Path root;
    private final List<RaftGroupService> services = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();

    RawRaftGroup(int size, Duration electionTimeout, boolean fsync) {
        root = BenchSupport.tempDir("jraft");
        Configuration conf = new Configuration();
        List<PeerId> peers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            PeerId peer = new PeerId();
            peer.parse(BenchSupport.loopbackEndpoint());
            peers.add(peer);
            conf.addPeer(peer);
        }
        for (int i = 0; i < size; i++) {
            Path dir = root.resolve("n" + i);
            createDirectories(dir);
            NodeOptions options = new NodeOptions();
            options.setFsm(new NoOpStateMachine());
            options.setElectionTimeoutMs((int) electionTimeout.toMillis());
            options.setLogUri(dir.resolve("log").toString());
            options.setRaftMetaUri(dir.resolve("meta").toString());
            options.setDisableCli(true);
            options.setSharedElectionTimer(true);
            options.setSharedVoteTimer(true);
            options.setSharedStepDownTimer(true);
            options.setSharedSnapshotTimer(true);
            RaftOptions raftOptions = new RaftOptions();
            raftOptions.setSync(fsync);
            options.setRaftOptions(raftOptions);
            options.setInitialConf(conf.copy());
            RaftGroupService service = new RaftGroupService("bench-raw", peers.get(i), options);
            services.add(service);
            nodes.add(service.start());
        }
    }

    // JRaft's RocksDB log storage does not create missing parent directories.
    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Node awaitLeader(Duration timeout) {
        BenchSupport.awaitTrue(() -> nodes.stream().filter(Node::isLeader).count() == 1, timeout, "a raw JRaft leader");
        return nodes.stream().filter(Node::isLeader).findFirst().orElseThrow();
    }

    /** Proposes {@code payload} on {@code leader}; the pipeline hears the outcome. */
    static void apply(Node leader, byte[] payload, Pipeline pipeline) {
        leader.apply(new Task(ByteBuffer.wrap(payload), status -> {
            if (status.getRaftError() == RaftError.EPERM) {
                pipeline.leaderChanged();
            } else {
                pipeline.complete(status.isOk() ? null : new IllegalStateException(status.toString()));
            }
        }));
    }

    @Override
    public void close() {
        for (RaftGroupService service : services) {
            service.shutdown();
        }
        for (RaftGroupService service : services) {
            try {
                service.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        BenchSupport.deleteTree(root);
    }

    /** Completes closures and nothing else: the cost of the user's state machine is not JRaft's. */
    private static final class NoOpStateMachine extends StateMachineAdapter {
        @Override
        public void onApply(Iterator it) {
            while (it.hasNext()) {
                if (it.done() != null) {
                    it.done().run(Status.OK());
                }
                it.next();
            }
        }
    }
}
