package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code meridian ctl --addr host:port ...}: cluster status, switchover, promotion, KV put/get. */
@Command(name = "ctl", description = "Operate a running cluster through any node's admin API.",
        subcommands = {CtlCommand.Status.class, CtlCommand.Switchover.class, CtlCommand.Promote.class,
                CtlCommand.Put.class, CtlCommand.Get.class})
final class CtlCommand {

    @Option(names = "--addr", required = true, description = "admin address (host:port) of any node")
    String addr;

    @Option(names = "--timeout", defaultValue = "60", description = "seconds to wait for one request (default 60)")
    int timeoutSeconds;

    AdminClient client() {
        return new AdminClient(Duration.ofSeconds(timeoutSeconds));
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

        ClusterView view() throws IOException {
            return ClusterView.fetch(ctl.client(), ctl.addr);
        }

        @Override
        public Integer call() {
            try {
                return run();
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
                return fail(r.message());
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
                return fail(r.message());
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

        @Override
        int run() throws IOException {
            String target = view().primaryLeader().map(ClusterView.Row::admin).orElse(ctl.addr);
            byte[] body = value.getBytes(StandardCharsets.UTF_8);
            AdminClient.Reply r = ctl.client().send("PUT", target, "/kv/" + encode(key), body);
            JsonNode redirect = r.json().path("leader_admin");
            if (r.status() == 421 && !redirect.asText().isEmpty()) {
                r = ctl.client().send("PUT", redirect.asText(), "/kv/" + encode(key), body);
            }
            if (!r.ok()) {
                return fail(r.message());
            }
            out().printf("ok %d:%d%n", r.json().path("epoch").asLong(), r.json().path("index").asLong());
            return 0;
        }
    }

    @Command(name = "get", description = "Read KEY from the addressed node (KV example).")
    static final class Get extends Sub {
        @Parameters(paramLabel = "KEY")
        String key;

        @Option(names = "--stale", description = "local read, no coordination")
        boolean stale;

        @Override
        int run() throws IOException {
            AdminClient.Reply r = ctl.client().get(ctl.addr, "/kv/" + encode(key) + "?consistency="
                    + (stale ? "stale" : "linearizable"));
            if (!r.ok()) {
                return fail(r.message());
            }
            out().println(r.json().path("value").asText());
            return 0;
        }
    }
}
