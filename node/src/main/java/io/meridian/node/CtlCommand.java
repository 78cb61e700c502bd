package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code meridian ctl --addr host:port ...}: cluster status, switchover, promotion, leader transfer, KV put/get.
 * Every request carries the admin token, taken from the first of: {@code --token-file},
 * {@code --dir}'s {@code admin.token}, {@code MERIDIAN_ADMIN_TOKEN}, {@code ./run/admin.token}
 * (where a plain {@code meridian up} puts it, so that the README's commands work as they are).
 */
@Command(name = "ctl", description = "Operate a running cluster through any node's admin API.",
        subcommands = {CtlCommand.Status.class, CtlCommand.Switchover.class, CtlCommand.Promote.class,
                CtlCommand.Put.class, CtlCommand.Get.class, CtlTransferLeader.class, CtlMembership.Add.class,
                CtlMembership.Remove.class, CtlMembership.Info.class})
final class CtlCommand {

    @ParentCommand
    MeridianCli cli;

    @Option(names = "--addr", required = true, description = "admin address (host:port, or https://host:port) of any node")
    String addr;

    @Option(names = "--timeout", defaultValue = "60", description = "seconds to wait for one request (default 60)")
    int timeoutSeconds;

    @Option(names = "--token-file", paramLabel = "FILE", description = "file holding the admin token (its first line)")
    Path tokenFile;

    @Option(names = "--dir", paramLabel = "DIR", description = "directory of a cluster started by `up`: use DIR/admin.token")
    Path dir;

    @Option(names = "--cacert", paramLabel = "FILE", description = "use HTTPS and trust this certificate (PEM or DER):"
            + " the node's own or its CA's")
    Path cacert;

    private AdminClient client;

    /** A bad --token-file, --dir or --cacert: a usage error, nothing was sent. */
    static final class BadOption extends RuntimeException {
        BadOption(String message) {
            super(message);
        }
    }

    AdminClient client() {
        if (client == null) {
            boolean https = addr.startsWith("https://") || cacert != null;
            SSLContext tls = null;
            try {
                if (cacert != null) {
                    tls = AdminTls.trusting(cacert);
                } else if (https) {
                    tls = SSLContext.getDefault();
                }
            } catch (IOException | GeneralSecurityException e) {
                throw new BadOption("cannot use --cacert " + cacert + ": " + e.getMessage());
            }
            client = new AdminClient(Duration.ofSeconds(timeoutSeconds), token(), tls);
        }
        return client;
    }

    /** {@code --addr} without its scheme (the client knows it) and trailing slashes. */
    String address() {
        return addr.replaceFirst("^https?://", "").replaceFirst("/+$", "");
    }

    /** The token per the order in the class comment, or null (requests then get 401 with a hint). */
    private String token() {
        Path file = tokenFile != null ? tokenFile : dir != null ? dir.resolve(AdminToken.FILE_NAME) : null;
        String fromEnv = cli.env().get(AdminToken.VARIABLE);
        if (file == null && fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        if (file == null && Files.isRegularFile(Path.of("run", AdminToken.FILE_NAME))) {
            file = Path.of("run", AdminToken.FILE_NAME);
        }
        if (file == null) {
            return null;
        }
        try {
            return AdminToken.read(file);
        } catch (IOException e) {
            throw new BadOption("cannot read the admin token from " + file + ": " + e.getClass().getSimpleName()
                    + " " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BadOption(e.getMessage());
        }
    }

    /** Base of every ctl subcommand: a failure to reach the cluster is exit 1 with one line on stderr. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        CtlCommand ctl;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        int fail(String message) {
            spec.commandLine().getErr().println("meridian ctl " + spec.name() + ": " + message);
            return MeridianCli.FAILED;
        }

        /** A refused request; a 401 also says where ctl looks for the token. */
        int fail(AdminClient.Reply reply) {
            return fail(reply.message() + (reply.status() == 401 ? AdminClient.AUTH_HINT : ""));
        }

        ClusterView view() throws IOException {
            return ClusterView.fetch(ctl.client(), ctl.address());
        }

        @Override
        public Integer call() {
            try {
                return run();
            } catch (BadOption e) {
                spec.commandLine().getErr().println("meridian ctl " + spec.name() + ": " + e.getMessage());
                return MeridianCli.USAGE;
            } catch (IOException e) {
                return fail("cannot reach the cluster: " + e.getMessage());
            }
        }

        abstract int run() throws IOException;

        static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    @Command(name = "status", description = "Every node of every region: role, epoch, last index, lag.")
    static final class Status extends Sub {
        @Option(names = "--json", description = "print {\"nodes\": [...]} for scripts")
        boolean json;

        @Override
        int run() throws IOException {
            ClusterView view = view();
            if (json) {
                List<Map<String, Object>> nodes = new ArrayList<>();
                for (ClusterView.Row r : view.rows()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("node", r.node());
                    m.put("region", r.region());
                    m.put("admin", r.admin());
                    m.put("up", r.up());
                    m.put("role", r.role());
                    m.put("region_role", r.up() ? r.regionRole() : null);
                    m.put("leader", r.up() ? r.status().path("leader").asText() : null);
                    m.put("epoch", r.up() ? r.epoch() : null);
                    m.put("last_index", r.up() ? r.lastIndex() : null);
                    m.put("applied_index", r.up() ? r.status().path("applied_index").asLong() : null);
                    m.put("lag_ms", r.up() ? r.lagMs() : null);
                    m.put("kv_digest", r.up() ? r.status().path("kv_digest").asText(null) : null);
                    nodes.add(m);
                }
                out().println(Http.JSON.writeValueAsString(Map.of("nodes", nodes)));
                return 0;
            }
            String format = "%-12s %-8s %-9s %-11s %6s %11s %7s  %s%n";
            out().printf(format, "NODE", "REGION", "ROLE", "REGION_ROLE", "EPOCH", "LAST_INDEX", "LAG_MS", "ADMIN");
            for (ClusterView.Row r : view.rows()) {
                out().printf(format, r.node(), r.region(), r.role(), r.up() ? r.regionRole() : "-",
                        r.up() ? r.epoch() : "-", r.up() ? r.lastIndex() : "-", r.up() ? r.lagMs() : "-", r.admin());
            }
            return 0;
        }
    }

    @Command(name = "switchover", description = "Planned, lossless handover of the primary role to REGION.")
    static final class Switchover extends Sub {
        @Parameters(paramLabel = "REGION")
        String region;

        @Override
        int run() throws IOException {
            ClusterView view = view();
            if (!view.hasRegion(region)) {
                return fail("unknown region '" + region + "'");
            }
            Optional<ClusterView.Row> primary = view.primaryLeader();
            if (primary.isEmpty()) {
                return fail("no leader of the primary region answers; try again, or promote a region");
            }
            AdminClient.Reply r = ctl.client().send("POST", primary.get().admin(),
                    "/admin/switchover?target=" + encode(region), null);
            if (!r.ok()) {
                return fail(r);
            }
            out().printf("switchover %s -> %s done in %d ms%n", primary.get().region(), region, r.json().path("took_ms").asLong());
            return 0;
        }
    }

    @Command(name = "promote", description = "Unplanned promotion of REGION (when the primary is lost).")
    static final class Promote extends Sub {
        @Parameters(paramLabel = "REGION")
        String region;

        @Option(names = "--allow-data-loss", description = "promote even if REGION lags the old primary")
        boolean allowDataLoss;

        @Option(names = "--yes", description = "confirm: acknowledged writes the region lacks may be lost")
        boolean yes;

        @Override
        public Integer call() {
            if (!yes) {
                spec.commandLine().getErr().println("meridian ctl promote: promoting " + region + " may lose"
                        + " acknowledged writes of the old primary; re-run with --yes to confirm");
                return MeridianCli.USAGE;
            }
            return super.call();
        }

        @Override
        int run() throws IOException {
            ClusterView view = view();
            Optional<ClusterView.Row> leader = view.leaderOf(region);
            if (leader.isEmpty()) {
                return fail(view.hasRegion(region) ? "region " + region + " has no reachable leader"
                        : "unknown region '" + region + "'");
            }
            AdminClient.Reply r = ctl.client().send("POST", leader.get().admin(),
                    "/admin/promote?allowDataLoss=" + allowDataLoss, null);
            if (!r.ok()) {
                return fail(r);
            }
            out().printf("region %s promoted: epoch %d starts at index %d%n", region, r.json().path("epoch").asLong(),
                    r.json().path("index").asLong());
            return 0;
        }
    }

    @Command(name = "put", description = "Write KEY=VALUE through the primary region's leader (KV example).")
    static final class Put extends Sub {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Option(names = "--idempotency-key", paramLabel = "K",
                description = "exactly-once: a retry with the same key returns the first result, applied once")
        String idempotencyKey;

        @Option(names = "--forward", description = "send to the addressed node and let it forward to the primary's leader")
        boolean forward;

        @Override
        int run() throws IOException {
            String path = "/kv/" + encode(key) + (forward ? "?forward=true" : "");
            byte[] body = value.getBytes(StandardCharsets.UTF_8);
            java.util.Map<String, String> headers = idempotencyKey == null ? java.util.Map.of()
                    : java.util.Map.of("Idempotency-Key", idempotencyKey);
            // Right after a switchover or an election the cluster view can still name the old leader:
            // a refusal that says the write was not applied is retried against a fresh view, for up
            // to 15 s, as any client would. Anything else (including an unknown outcome) is reported.
            long deadline = System.nanoTime() + 15_000_000_000L;
            AdminClient.Reply r;
            while (true) {
                String target = forward ? ctl.address()
                        : view().primaryLeader().map(ClusterView.Row::admin).orElse(ctl.address());
                r = ctl.client().send("PUT", target, path, body, headers);
                String redirect = r.json().path("primary_leader_admin").asText("");
                if (redirect.isEmpty()) {
                    redirect = r.json().path("leader_admin").asText("");
                }
                if (r.status() == 421 && !redirect.isEmpty()) {
                    r = ctl.client().send("PUT", redirect, path, body, headers);
                }
                boolean notApplied = "not_applied".equals(r.json().path("outcome").asText(""));
                if (r.ok() || !notApplied || !r.json().path("retriable").asBoolean(false)
                        || System.nanoTime() - deadline > 0) {
                    break;
                }
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!r.ok()) {
                return fail(r);
            }
            out().printf("ok %d:%d%n", r.json().path("epoch").asLong(), r.json().path("index").asLong());
            return 0;
        }
    }

    @Command(name = "get", description = "Read KEY from the addressed node (KV example).")
    static final class Get extends Sub {
        @Parameters(paramLabel = "KEY")
        String key;

        @Option(names = "--stale", description = "local read, no coordination (= --level local)")
        boolean stale;

        @Option(names = "--level", paramLabel = "LEVEL", description = "linearizable (default), session, bounded, local")
        String level = "linearizable";

        @Option(names = "--position", paramLabel = "EPOCH:INDEX", description = "for --level session: wait for it")
        String position;

        @Option(names = "--max-lag-ms", paramLabel = "MS", description = "for --level bounded: the largest lag accepted")
        Long maxLagMs;

        @Option(names = "--forward", description = "for --level linearizable: get a read index from the primary's leader")
        boolean forward;

        @Override
        int run() throws IOException {
            StringBuilder query = new StringBuilder("?level=").append(stale ? "local" : encode(level));
            if (position != null) {
                query.append("&position=").append(encode(position));
            }
            if (maxLagMs != null) {
                query.append("&max_lag_ms=").append(maxLagMs);
            }
            if (forward) {
                query.append("&forward=true");
            }
            AdminClient.Reply r = ctl.client().get(ctl.address(), "/kv/" + encode(key) + query);
            if (!r.ok()) {
                return fail(r);
            }
            out().println(r.json().path("value").asText());
            return 0;
        }
    }
}
