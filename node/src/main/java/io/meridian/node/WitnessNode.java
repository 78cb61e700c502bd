package io.meridian.node;

import io.meridian.Witness;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A witness as a process runs it: {@link Witness} plus a small admin API ({@code /health},
 * {@code /status}, {@code /cluster}, {@code /metrics}) so that operators and ctl see it like a node;
 * it is secured like a node's (same token and TLS settings).
 */
public final class WitnessNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WitnessNode.class);

    private final Witness witness;
    private final AdminServer admin;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private WitnessNode(Witness witness, AdminServer admin) {
        this.witness = witness;
        this.admin = admin;
    }

    public static WitnessNode start(ResolvedConfig config) {
        BindCheck.check(config);
        NodeConfig.WitnessSettings s = config.raw().witness;
        String endpoint = config.topology().witnessEndpoint();
        Path stateFile = s.stateFile != null && !s.stateFile.isBlank() ? config.dataDir().resolve(s.stateFile)
                : config.dataDir().resolve("witness.state");
        // Before the witness starts: a token that cannot be written leaves nothing running.
        AdminServer admin = new AdminServer(1024, AdminToken.forNode(config), config.adminTls());
        Witness w = Witness.start(endpoint, config.secret(), stateFile, config.topology().initialPrimary(),
                config.endpointMapper());
        WitnessNode node = new WitnessNode(w, admin);
        Gauge.builder("meridian.epoch", w, Witness::epoch).tag("node", Witness.NAME).register(node.registry);
        try {
            node.admin
                    .routeOpen("GET", "/health", r -> Http.Response.json(200, Map.of("status", "ok", "node", Witness.NAME)))
                    .route("GET", "/status", r -> Http.Response.json(200, node.status()))
                    .route("GET", "/cluster", r -> Http.Response.json(200, ClusterInfo.of(config)))
                    .route("GET", "/metrics", r -> Http.Response.text(200, "text/plain; version=0.0.4; charset=utf-8",
                            node.registry.scrape()))
                    .start(config.admin());
        } catch (IOException | RuntimeException e) {
            w.close();
            throw new IllegalStateException("cannot start the admin API on " + config.admin() + ": " + e, e);
        }
        LOG.info("witness on {} started; admin API on {}", endpoint, node.admin.address());
        return node;
    }

    private Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", Witness.NAME);
        out.put("region", ClusterInfo.WITNESS_REGION);
        out.put("admin", admin.address());
        out.put("role", "WITNESS");
        out.put("region_role", "WITNESS");
        out.put("leader", "");
        out.put("epoch", witness.epoch());
        out.put("primary_region", witness.primaryRegion());
        out.put("last_index", 0);
        out.put("lag_ms", 0);
        return out;
    }

    public String adminAddress() {
        return admin.address();
    }

    @Override
    public void close() {
        witness.close();
        admin.close();
    }
}
