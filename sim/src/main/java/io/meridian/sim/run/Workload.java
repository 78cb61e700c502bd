package io.meridian.sim.run;

import io.meridian.Position;
import io.meridian.sim.check.History;
import io.meridian.sim.check.OpLog;
import io.meridian.sim.check.WriteRecord;
import io.meridian.sim.check.linear.Op;
import io.meridian.sim.check.linear.ValueFormat;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients: writes {@code KvCommand.put(key, WriteRecord.valueFor(id, payload))} to the leader of
 * every region whose leader does not report SECONDARY (so a cut-off old primary keeps receiving
 * writes, like real clients stuck on it), open loop at the configured rate or closed loop, and
 * records every outcome in the {@link History}. A {@code readRatio} share of the operations are
 * reads ({@link ReadClient}): half linearizable reads on the same targets as writes, half local reads
 * on secondary nodes. Every operation, writes included, also goes into the {@link OpLog} for the
 * linearizability and secondary-read checks.
 *
 * <p>Keys come from a bounded space, and half of the reads pick a recently written key, so reads
 * regularly race the writes they could miss.
 *
 * <p>One dispatcher thread; outcomes are recorded on Meridian's completion threads.
 */
public final class Workload implements AutoCloseable {

    private static final long TARGET_REFRESH_NANOS = 20_000_000;
    private static final int RECENT_KEYS = 64;

    private final Cluster cluster;
    private final SimConfig config;
    private final RunClock clock;
    private final History history = new History();
    private final OpLog ops = new OpLog();
    private final ReadClient reads;
    /** Keys of the latest writes (dispatcher thread only). */
    private final int[] recentKeys = new int[RECENT_KEYS];
    private int writesIssued;
    private final Histogram latencyMicros = new ConcurrentHistogram(60_000_000L, 3);
    private final AtomicLong acked = new AtomicLong();
    /** Cluster-log index to the ms its write was acknowledged: the lag series reads what is not applied yet. */
    private final ConcurrentSkipListMap<Long, Long> ackedAt = new ConcurrentSkipListMap<>();
    /** "region@epoch" to the ms of its first acknowledged write: the end of a failover's outage. */
    private final java.util.Map<String, Long> firstAckMs = new java.util.concurrent.ConcurrentHashMap<>();
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Random random;
    private final Thread dispatcher;
    private volatile boolean stopping;
    private volatile double rate; // open-loop ops/s (0 = closed loop); the sweep scenario changes it

    public Workload(Cluster cluster, SimConfig config, RunClock clock) {
        this.cluster = cluster;
        this.config = config;
        this.clock = clock;
        // Over HTTP a call takes tens of ms more (and requests to a paused node wait out their
        // timeout), so processes get twice the calls in flight for a comparable load.
        int perClient = config.processes() ? 2 : 1;
        this.maxInFlight = perClient * (config.rate() > 0 ? 2 * config.clients() : config.clients());
        this.inFlight = new Semaphore(maxInFlight);
        this.random = new Random(config.seed());
        this.rate = config.rate();
        this.reads = new ReadClient(clock, ops);
        this.dispatcher = new Thread(this::dispatch, "sim-workload");
        dispatcher.setDaemon(true);
    }

    public void start() {
        dispatcher.start();
    }

    /** Changes the offered open-loop rate from now on (the sweep scenario's steps). */
    public void rate(double opsPerSecond) {
        if (!(opsPerSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0: " + opsPerSecond);
        }
        rate = opsPerSecond;
    }

    private void dispatch() {
        long nextDue = System.nanoTime();
        List<SimNode> targets = List.of();
        List<SimNode> secondaries = List.of();
        long targetsAt = 0;
        int turn = 0;
        while (!stopping) {
            long now = System.nanoTime();
            double r = rate;
            long intervalNanos = r > 0 ? (long) (1e9 / r) : 0;
            if (intervalNanos > 0) {
                if (now < nextDue) {
                    // Park, never spin: the generator shares the cores with the nodes it measures. At
                    // 5,000 ops/s every wait was under the old 200 µs spin threshold, and the spinning
                    // generator took 0.4 of this 2-core machine's cores. A park overshoots by the timer
                    // slack (~50 µs); sends stay on schedule on average because nextDue advances by
                    // the interval, not from the late send.
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.min(nextDue - now, 5_000_000L));
                    continue;
                }
                // Behind by over a second (a stall, all permits taken): drop the backlog instead of bursting.
                nextDue = now - nextDue > 1_000_000_000L ? now + intervalNanos : nextDue + intervalNanos;
            }
            if (now - targetsAt > TARGET_REFRESH_NANOS) {
                targets = targets();
                secondaries = secondaries();
                targetsAt = now;
            }
            if (targets.isEmpty()) {
                SimCluster.pause(5);
                targetsAt = 0;
                continue;
            }
            boolean read = random.nextDouble() < config.readRatio();
            if (read && !secondaries.isEmpty() && random.nextBoolean()) {
                // Synchronous and local: needs no in-flight permit.
                reads.stale(secondaries.get(random.nextInt(secondaries.size())), history.nextId(), readKey());
                continue;
            }
            try {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            SimNode target = targets.get(Math.floorMod(turn++, targets.size()));
            if (read) {
                reads.linearizable(target, history.nextId(), readKey()).whenComplete((v, e) -> inFlight.release());
            } else {
                send(target);
            }
        }
    }

    /** Leaders of every region whose leader does not report SECONDARY: where clients send writes and linearizable reads. */
    private List<SimNode> targets() {
        List<SimNode> targets = new ArrayList<>();
        for (String region : cluster.regions()) {
            SimNode leader = cluster.leaderOf(region);
            if (leader != null && !"SECONDARY".equals(leader.regionRole())) {
                targets.add(leader);
            }
        }
        return targets;
    }

    /** Every readable node of the regions whose leader reports SECONDARY: where stale reads go. */
    private List<SimNode> secondaries() {
        List<SimNode> replicas = cluster.readableReplicas();
        if (replicas.isEmpty()) {
            return replicas;
        }
        List<String> regions = new ArrayList<>();
        for (String region : cluster.regions()) {
            SimNode leader = cluster.leaderOf(region);
            if (leader != null && "SECONDARY".equals(leader.regionRole())) {
                regions.add(region);
            }
        }
        return replicas.stream().filter(n -> regions.contains(n.region())).toList();
    }

    /** Half the time a recently written key (a read racing its write), else any key. */
    private String readKey() {
        if (writesIssued > 0 && random.nextBoolean()) {
            return "k" + recentKeys[random.nextInt(Math.min(writesIssued, RECENT_KEYS))];
        }
        return "k" + random.nextInt(config.keySpace());
    }

    private void send(SimNode target) {
        int id = history.nextId();
        int keyIndex = random.nextInt(config.keySpace());
        recentKeys[writesIssued++ % RECENT_KEYS] = keyIndex;
        String key = "k" + keyIndex;
        byte[] value = config.incompressible()
                ? WriteRecord.incompressibleValueFor(id, config.payloadBytes(), config.seed())
                : WriteRecord.valueFor(id, config.payloadBytes());
        String region = target.region();
        long startMs = clock.elapsedMs();
        long startNanos = System.nanoTime();
        long invoked = clock.elapsedNanos();
        CompletableFuture<Position> f = target.put(key, value);
        f.whenComplete((p, error) -> {
            long completed = clock.elapsedNanos();
            long endMs = clock.elapsedMs();
            if (error == null) {
                latencyMicros.recordValue(Math.min((System.nanoTime() - startNanos) / 1000, 60_000_000L));
                ackedAt.put(p.index(), endMs);
                firstAckMs.merge(region + "@" + p.epoch(), endMs, Math::min);
                acked.incrementAndGet();
                history.add(WriteRecord.acked(id, key, region, startMs, endMs, p.epoch(), p.index()));
                ops.primary(Op.write(id, "w@" + target.nodeId(), key, ValueFormat.of(id), invoked, completed,
                        Op.Outcome.OK, region));
            } else {
                Throwable cause = Outcomes.unwrap(error);
                history.add(WriteRecord.notAcked(id, key, region, startMs, endMs, Outcomes.statusOf(cause), cause));
                ops.primary(Op.write(id, "w@" + target.nodeId(), key, ValueFormat.of(id), invoked, completed,
                        Outcomes.of(cause), region));
            }
            inFlight.release();
        });
    }

    /** Stops dispatching and waits (bounded) for the writes in flight to complete. */
    public void stop() {
        stopping = true;
        try {
            dispatcher.join(10_000);
            if (inFlight.tryAcquire(maxInFlight, 15, TimeUnit.SECONDS)) {
                inFlight.release(maxInFlight);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public History history() {
        return history;
    }

    public OpLog ops() {
        return ops;
    }

    public long ackedCount() {
        return acked.get();
    }

    /** When {@code region} first acknowledged a write of an epoch >= {@code minEpoch}, or -1. */
    public long firstAckMs(String region, long minEpoch) {
        long first = -1;
        for (var e : firstAckMs.entrySet()) {
            int at = e.getKey().lastIndexOf('@');
            if (e.getKey().substring(0, at).equals(region) && Long.parseLong(e.getKey().substring(at + 1)) >= minEpoch
                    && (first < 0 || e.getValue() < first)) {
                first = e.getValue();
            }
        }
        return first;
    }

    public Histogram latencyMicros() {
        return latencyMicros;
    }

    /**
     * How far behind a region is in ms: now minus the ack time of the first acknowledged write it has
     * not applied yet (0 when it has applied them all).
     */
    public double lagMs(long appliedIndex, long nowMs) {
        var first = ackedAt.higherEntry(appliedIndex);
        return first == null ? 0 : Math.max(0, nowMs - first.getValue());
    }

    /** Ack times (run ms) of the acknowledged writes in {@code (afterIndex, upToIndex]} still remembered. */
    public java.util.Collection<Long> ackTimesBetween(long afterIndex, long upToIndex) {
        return afterIndex >= upToIndex ? java.util.List.of() : ackedAt.subMap(afterIndex, false, upToIndex, true).values();
    }

    /** Forgets acknowledgements every region has applied, keeping the lag lookup small. */
    public void trimAppliedBelow(long index) {
        ackedAt.headMap(index, true).clear();
    }
}
