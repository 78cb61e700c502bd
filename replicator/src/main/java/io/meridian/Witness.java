package io.meridian;

import io.meridian.failover.PingVerdict;
import io.meridian.failover.VoterState;
import io.meridian.transport.AeronTransport;
import io.meridian.transport.ClusterSecret;
import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.transport.RejectReason;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Function;

/**
 * A voter that holds no data (the seeds' Sentinel): it takes part in primary leases and promotion
 * votes so that two data regions still have a majority after a cut between them. It persists the
 * highest epoch it adopted before answering, so a restart can never make it vouch for a deposed
 * primary.
 */
public final class Witness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Witness.class);
    /** The region name the witness uses on the wire and in the failover voters list. */
    public static final String NAME = "witness";

    private final AeronTransport transport;
    private final Path stateFile;
    private final Function<String, String> endpointMapper;
    private VoterState voter;
    private final AgentRunner runner;

    private Witness(AeronTransport transport, Path stateFile, VoterState voter, Function<String, String> mapper) {
        this.transport = transport;
        this.stateFile = stateFile;
        this.voter = voter;
        this.endpointMapper = mapper;
        this.runner = new AgentRunner(io.meridian.transport.AgentIdle.offPathStrategy(),
                e -> LOG.error("witness error", e), null, new WitnessAgent());
    }

    /**
     * Starts a witness listening on {@code endpoint}.
     *
     * @param stateFile      where the adopted epoch is persisted (created if missing)
     * @param initialPrimary primary region of epoch 1 (used when {@code stateFile} does not exist)
     */
    public static Witness start(String endpoint, byte[] secret, Path stateFile, String initialPrimary,
                                Function<String, String> endpointMapper) {
        VoterState voter = load(stateFile, initialPrimary);
        AeronTransport transport = AeronTransport.launch(new AeronTransport.Context().endpoint(endpoint)
                .regionId(NAME).nodeId(NAME).secret(ClusterSecret.of(secret)));
        Witness w = new Witness(transport, stateFile, voter, endpointMapper);
        AgentRunner.startOnThread(w.runner);
        LOG.info("witness on {} holds epoch {} (primary {})", endpoint, voter.epoch(), voter.primaryRegion());
        return w;
    }

    private static VoterState load(Path file, String initialPrimary) {
        try {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                long votedEpoch = lines.size() > 2 ? Long.parseLong(lines.get(2).trim()) : 0;
                String votedFor = lines.size() > 3 ? lines.get(3).trim() : "";
                return new VoterState(Long.parseLong(lines.get(0).trim()), lines.get(1).trim(), votedEpoch, votedFor);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("witness state file " + file + " is unreadable: " + e.getMessage(), e);
        }
        return VoterState.initial(initialPrimary);
    }

    /**
     * Makes {@code next} durable before any answer that depends on it leaves: the temporary file is
     * fsynced, renamed over the old one, and the directory fsynced so the rename survives power loss.
     */
    private void persist(VoterState next) {
        try {
            Path dir = stateFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            byte[] text = (next.epoch() + "\n" + next.primaryRegion() + "\n" + next.votedEpoch() + "\n"
                    + next.votedFor() + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(text));
                ch.force(true);
            }
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist witness state", e);
        }
        voter = next;
    }

    public synchronized long epoch() {
        return voter.epoch();
    }

    public synchronized String primaryRegion() {
        return voter.primaryRegion();
    }

    @Override
    public void close() {
        runner.close();
        transport.close();
    }

    private final class WitnessAgent implements Agent {
        // Replies to an endpoint we have not sent to before fail until Aeron connects the
        // publication: keep them for a few seconds instead of losing a vote (candidates also resend).
        private final java.util.ArrayDeque<Object[]> retries = new java.util.ArrayDeque<>();

        @Override
        public int doWork() {
            int work = 0;
            long now = System.nanoTime();
            for (int i = retries.size(); i > 0; i--) {
                Object[] r = retries.pollFirst();
                if (!transport.send((String) r[0], voter.epoch(), (Message) r[1]) && now - (long) r[2] < 5_000_000_000L) {
                    retries.addLast(r);
                } else {
                    work++;
                }
            }
            return work + transport.poll(this::onMessage, 32);
        }

        private void send(String to, Message m) {
            if (!transport.send(to, voter.epoch(), m)) {
                retries.addLast(new Object[] {to, m, System.nanoTime()});
            }
        }

        private void onMessage(Envelope env) {
            String replyTo = endpointMapper.apply(env.senderEndpoint());
            synchronized (Witness.this) {
                if (env.message() instanceof Message.Ping ping) {
                    PingVerdict verdict = voter.onPing(ping.epoch(), ping.primaryRegion());
                    if (verdict.adopted(voter)) {
                        persist(verdict.next());
                    }
                    switch (verdict.kind()) {
                        case VOUCH -> send(replyTo, new Message.Pong(ping.epoch(), ping.primaryRegion(), ping.sentNanos()));
                        case REFUSE_STALE -> send(replyTo,
                                new Message.Reject(RejectReason.STALE_EPOCH, -1, voter.epoch(), voter.primaryRegion()));
                        case REFUSE_PROMISED -> { } // silence: the promised epoch may never win, so it must not fence
                    }
                } else if (env.message() instanceof Message.VoteRequest vote) {
                    VoterState.VoteDecision decision = voter.onVote(vote.epoch(), vote.candidate());
                    if (decision.changed(voter)) {
                        persist(decision.next());
                    }
                    LOG.info("witness {} epoch {} to {}: {}", decision.granted() ? "granted" : "refused", vote.epoch(),
                            vote.candidate(), decision.reason());
                    send(replyTo, new Message.VoteReply(vote.epoch(), decision.granted(), voter.epoch(),
                            voter.primaryRegion(), voter.votedEpoch() == vote.epoch() ? voter.votedFor() : ""));
                }
            }
        }

        @Override
        public String roleName() {
            return "meridian-witness";
        }
    }
}
