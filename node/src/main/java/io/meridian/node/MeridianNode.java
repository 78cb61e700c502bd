package io.meridian.node;

import io.meridian.Health;
import io.meridian.Position;
import io.meridian.Replicator;
import io.meridian.ReplicatorContext;
import io.meridian.StateMachine;
import io.meridian.kv.KvCommand;
import io.meridian.kv.KvStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One data node as a process runs it: a {@link Replicator} with its state machine, metrics, and the
 * admin HTTP API. Closing it stops admitting client writes first, then closes the Replicator (which
 * flushes and closes the Raft log and WAL), then the HTTP server.
 */
public final class MeridianNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeridianNode.class);

    private final ResolvedConfig config;
    private final StateMachine machine;
    private final Replicator replicator;
    private final NodeMetrics metrics;
    private final AdminServer admin;
    private volatile boolean admitting = true;

    private MeridianNode(ResolvedConfig config, StateMachine machine, Replicator replicator, AdminToken token) {
        this.config = config;
        this.machine = machine;
        this.replicator = replicator;
        this.metrics = new NodeMetrics(replicator, config.dataDir());
        this.admin = new AdminServer(config.raw().maxPayloadBytes, token, config.adminTls());
    }

    /**
     * Instantiates the state machine, validates the whole context, then starts the node and its admin
     * API. A {@link ConfigException} means nothing was started.
     */
    public static MeridianNode start(ResolvedConfig config) {
        BindCheck.check(config);
        StateMachine machine = instantiate(config.raw().stateMachine);
        ReplicatorContext ctx = config.toContext(machine);
        try {
            ctx.conclude();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config", e.getMessage());
        }
        // Before the Replicator starts: a token that cannot be written leaves nothing running.
        AdminToken token = AdminToken.forNode(config);
        Replicator replicator = Replicator.start(ctx);
        MeridianNode node = new MeridianNode(config, machine, replicator, token);
        try {
            node.routes().start(config.admin());
        } catch (IOException | RuntimeException e) {
            replicator.close();
            throw new IllegalStateException("cannot start the admin API on " + config.admin() + ": " + e, e);
        }
        LOG.info("node {} of region {} started; admin API on {}", replicator.nodeId(), replicator.region(),
                node.admin.address());
        return node;
    }

    private static StateMachine instantiate(String className) {
        try {
            Object o = Class.forName(className).getDeclaredConstructor().newInstance();
            if (!(o instanceof StateMachine sm)) {
                throw new ConfigException("stateMachine", className + " does not implement " + StateMachine.class.getName());
            }
            return sm;
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ConfigException("stateMachine", "cannot instantiate " + className + " (a public no-argument"
                    + " constructor is required): " + e);
        }
    }

    private AdminServer routes() {
        new MembershipRoutes(replicator, config).register(admin);
        return admin
                .routeOpen("GET", "/health", r -> health())
                .route("GET", "/status", r -> Http.Response.json(200, StatusView.status(replicator, machine, admin.address())))
                .route("GET", "/metrics", r -> Http.Response.text(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape()))
                .route("GET", "/cluster", r -> Http.Response.json(200, ClusterInfo.of(config, replicator)))
                .routePrefix("PUT", "/kv/", this::put)
                .routePrefix("DELETE", "/kv/", this::delete)
                .routePrefix("GET", "/kv/", this::get)
                .route("POST", "/admin/switchover", this::switchover)
                .route("POST", "/admin/promote", this::promote)
                .route("POST", "/admin/transfer-leader", this::transferLeader);
    }

    private Http.Response health() {
        Health h = replicator.health();
        String reason = StatusView.unhealthyReason(h);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", reason == null ? "ok" : "unavailable");
        if (reason != null) {
            body.put("reason", reason);
        }
        body.put("node", h.node());
        body.put("region", h.region());
        body.put("role", h.raftRole());
        body.put("region_role", h.regionRole());
        body.put("leader", h.leader());
        return Http.Response.json(reason == null ? 200 : 503, body);
    }

    private Http.Response put(Http.Request r) {
        return write(KvCommand.put(key(r), r.body()), KvRequests.writeOptions(r));
    }

    private Http.Response delete(Http.Request r) {
        return write(KvCommand.delete(key(r)), KvRequests.writeOptions(r));
    }

    /** A retry with the same Idempotency-Key answers the first write's position and applies nothing. */
    private Http.Response write(byte[] command, io.meridian.WriteOptions options) {
        if (!admitting) {
            throw new Http.Error(503, "shutting_down", "node " + replicator.nodeId() + " is shutting down")
                    .with("retriable", true);
        }
        long start = System.nanoTime();
        try {
            Position p = replicator.apply(command, options)
                    .get(config.raw().applyTimeoutMs + 1_000, TimeUnit.MILLISECONDS);
            metrics.recordApply(System.nanoTime() - start);
            return Http.Response.json(200, Map.of("epoch", p.epoch(), "index", p.index()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Http.Error(503, "interrupted", "interrupted while waiting for the commit");
        } catch (Exception e) {
            throw ErrorMapping.toHttp(e, MembershipRoutes.adminEndpoints(replicator, config));
        }
    }

    private Http.Response get(Http.Request r) throws Exception {
        KvStateMachine kv = kv();
        String key = key(r);
        io.meridian.ReadLevel level = KvRequests.readLevel(r);
        byte[] value;
        try {
            // A session read may wait up to applyTimeout for its position, a forwarded one twice that.
            value = replicator.read(level, () -> kv.get(key))
                    .get(2 * config.raw().applyTimeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw ErrorMapping.toHttp(e, MembershipRoutes.adminEndpoints(replicator, config));
        }
        if (value == null) {
            throw new Http.Error(404, "no_such_key", "key '" + key + "' is not set").with("key", key);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("value", new String(value, StandardCharsets.UTF_8));
        body.put("applied_index", replicator.appliedPosition().index());
        body.put("level", level.kind().name().toLowerCase(java.util.Locale.ROOT));
        return Http.Response.json(200, body);
    }

    private Http.Response switchover(Http.Request r) throws Exception {
        String target = r.requireParam("target");
        long timeout = config.raw().crossRegion.switchoverTimeoutMs + 5_000;
        Duration took = replicator.switchover(target).get(timeout, TimeUnit.MILLISECONDS);
        return Http.Response.json(200, Map.of("target", target, "took_ms", took.toMillis()));
    }

    private Http.Response promote(Http.Request r) throws Exception {
        String allow = r.requireParam("allowDataLoss");
        if (!allow.equals("true") && !allow.equals("false")) {
            throw new Http.Error(400, "bad_parameter", "allowDataLoss must be true or false, got '" + allow + "'");
        }
        long timeout = config.raw().crossRegion.switchoverTimeoutMs + 20_000;
        Position p = replicator.promote(Boolean.parseBoolean(allow)).get(timeout, TimeUnit.MILLISECONDS);
        return Http.Response.json(200, Map.of("region", replicator.region(), "epoch", p.epoch(), "index", p.index()));
    }

    /**
     * Hands this region's Raft leadership to node {@code to} (for a rolling restart: restart the leader
     * last, after moving leadership off it) and answers once this node sees {@code to} lead. JRaft
     * gives up a transfer the target does not complete within an election timeout, so the wait is
     * bounded by a few of those; the answer is then 504 and the old leader leads again.
     */
    private Http.Response transferLeader(Http.Request r) throws Exception {
        String to = r.requireParam("to");
        boolean sameRegion = config.topology().node(to).map(n -> n.region().equals(replicator.region())).orElse(false);
        if (!sameRegion) {
            throw new Http.Error(400, "bad_parameter", "'" + to + "' is not a node of region " + replicator.region());
        }
        long start = System.nanoTime();
        if (!to.equals(replicator.nodeId()) || !replicator.isLeader()) {
            replicator.transferLeadership(to).get(config.raw().applyTimeoutMs, TimeUnit.MILLISECONDS);
        }
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(3L * config.raw().electionTimeoutMs + 2_000);
        while (!to.equals(replicator.health().leader())) {
            if (System.nanoTime() - deadline > 0) {
                throw new Http.Error(504, "timeout", "leadership of region " + replicator.region() + " did not move to "
                        + to + " in time (is it up and caught up?); leader now: '" + replicator.health().leader() + "'")
                        .with("retriable", true);
            }
            Thread.sleep(20); // a handler thread of the admin API, polling the node's own view: no I/O
        }
        return Http.Response.json(200, Map.of("region", replicator.region(), "from", replicator.nodeId(), "to", to,
                "took_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }

    private KvStateMachine kv() {
        if (machine instanceof KvStateMachine kv) {
            return kv;
        }
        throw new Http.Error(404, "no_kv", "the /kv endpoints need the bundled KV state machine; this node runs "
                + machine.getClass().getName());
    }

    private static String key(Http.Request r) {
        String key = Http.Request.decode(r.path().substring("/kv/".length()));
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > 1024) {
            throw new Http.Error(400, "bad_key", "key must be 1..1024 bytes of UTF-8");
        }
        return key;
    }

    public Replicator replicator() {
        return replicator;
    }

    public StateMachine stateMachine() {
        return machine;
    }

    /** The admin API's address as {@code host:port}. */
    public String adminAddress() {
        return admin.address();
    }

    @Override
    public void close() {
        admitting = false;
        try {
            replicator.close();
        } catch (RuntimeException e) {
            LOG.error("closing node {} failed", replicator.nodeId(), e);
        }
        admin.close();
        metrics.close();
        LOG.info("node {} stopped", replicator.nodeId());
    }
}
