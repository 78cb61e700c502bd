package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code meridian ctl add-node}, {@code remove-node} and {@code info}: live membership. A change is
 * sent to the primary region's leader, which records it in the cluster log (every node of every
 * region learns it from there); ctl then waits until the changed region's leader has it in its Raft
 * configuration, so that "done" means the node votes (or observes, or is gone).
 */
final class CtlMembership {

    private CtlMembership() {
    }

    /** Base of the two changes: send to the primary's leader, then wait for the Raft configuration. */
    abstract static class Change extends CtlCommand.Sub {
        @Option(names = "--wait", defaultValue = "60", description = "seconds to wait for the region's Raft"
                + " configuration to hold the change (0: return once recorded; default 60)")
        int waitSeconds;

        /**
         * Sends to the primary's leader, looking for it again while none answers or the answer is a
         * refusal that applied nothing (421 moved, 503 no lease yet): an election or a lease renewal
         * under load must not fail the command. Other answers, 504 included, are returned as they are.
         */
        AdminClient.Reply sendToPrimaryLeader(String path) throws IOException {
            long deadline = System.nanoTime() + Math.max(waitSeconds, 30) * 1_000_000_000L;
            AdminClient.Reply last = null;
            while (true) {
                Optional<ClusterView.Row> primary = view().primaryLeader();
                if (primary.isPresent()) {
                    last = ctl.client().send("POST", primary.get().admin(), path, null);
                    String redirect = last.json().path("leader_admin").asText();
                    if (last.status() == 421 && !redirect.isEmpty()) {
                        last = ctl.client().send("POST", redirect, path, null);
                    }
                    if (last.status() != 421 && last.status() != 503) {
                        return last;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    if (last == null) {
                        throw new IOException("no leader of the primary region answers; try again");
                    }
                    return last;
                }
                pause();
            }
        }

        static void pause() throws IOException {
            try {
                Thread.sleep(250); // the CLI's own polling loop, nothing else to do meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }

        /** Polls the leader of {@code region} until its Raft configuration lists {@code node} as wanted. */
        boolean awaitConfiguration(String region, String node, String list, boolean present) throws IOException {
            long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
            while (true) {
                Optional<ClusterView.Row> leader = view().leaderOf(region);
                try {
                    AdminClient.Reply info = leader.isPresent() ? ctl.client().get(leader.get().admin(), "/info") : null;
                    boolean listed = false;
                    for (JsonNode n : info == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                            : info.json().path(list)) {
                        listed |= n.asText().equals(node);
                    }
                    // Only a leader lists its configuration: an empty voter list is a node that just lost the lead.
                    if (info != null && info.ok() && !info.json().path("raft_voters").isEmpty() && listed == present) {
                        return true;
                    }
                } catch (IOException leaderGone) {
                    // it stopped answering (a leader change): look for the leader again
                }
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                pause();
            }
        }
    }

    @Command(name = "add-node", description = "Add NODE to REGION (a voter, or an observer with --observer). Start"
            + " the node first with `join: true` and a topology that lists it.")
    static final class Add extends Change {
        @Parameters(index = "0", paramLabel = "REGION")
        String region;

        @Parameters(index = "1", paramLabel = "NODE")
        String node;

        @Option(names = "--raft", required = true, paramLabel = "HOST:PORT", description = "the node's Raft endpoint")
        String raft;

        @Option(names = "--aeron", paramLabel = "HOST:PORT", description = "its Aeron endpoint (with several regions)")
        String aeron;

        @Option(names = "--admin", paramLabel = "HOST:PORT", description = "its admin address (for ctl status/info)")
        String admin;

        @Option(names = "--observer", description = "a JRaft learner: gets the log, serves local reads, never votes")
        boolean observer;

        @Override
        int run() throws IOException {
            String path = "/admin/add-node?region=" + encode(region) + "&id=" + encode(node) + "&raft=" + encode(raft)
                    + (aeron == null ? "" : "&aeron=" + encode(aeron)) + (admin == null ? "" : "&admin=" + encode(admin))
                    + "&observer=" + observer;
            long start = System.nanoTime();
            AdminClient.Reply r = sendToPrimaryLeader(path);
            if (!r.ok()) {
                return fail(r);
            }
            String role = observer ? "observer" : "voter";
            out().printf("recorded: %s joins region %s as %s at %d:%d%n", node, region, role,
                    r.json().path("epoch").asLong(), r.json().path("index").asLong());
            if (waitSeconds > 0) {
                if (!awaitConfiguration(region, node, observer ? "raft_observers" : "raft_voters", true)) {
                    return fail("recorded, but region " + region + "'s Raft configuration does not list " + node
                            + " as " + role + " after " + waitSeconds + " s (is it running with join: true? it is"
                            + " retried until it is)");
                }
                out().printf("%s is a %s of region %s (%d ms)%n", node, role, region,
                        (System.nanoTime() - start) / 1_000_000);
            }
            return 0;
        }
    }

    @Command(name = "remove-node", description = "Remove NODE from its region; stop its process afterwards.")
    static final class Remove extends Change {
        @Parameters(paramLabel = "NODE")
        String node;

        @Override
        int run() throws IOException {
            Optional<ClusterView.Row> row = view().rows().stream().filter(r -> r.node().equals(node)).findFirst();
            if (row.isEmpty()) {
                return fail("'" + node + "' is not a member");
            }
            String region = row.get().region();
            long start = System.nanoTime();
            AdminClient.Reply r = sendToPrimaryLeader("/admin/remove-node?id=" + encode(node));
            if (!r.ok()) {
                return fail(r);
            }
            out().printf("recorded: %s leaves region %s at %d:%d%n", node, region, r.json().path("epoch").asLong(),
                    r.json().path("index").asLong());
            if (waitSeconds > 0) {
                boolean gone = awaitConfiguration(region, node, "raft_voters", false)
                        && awaitConfiguration(region, node, "raft_observers", false);
                if (!gone) {
                    return fail("recorded, but region " + region + "'s Raft configuration still lists " + node
                            + " after " + waitSeconds + " s (it is retried)");
                }
                out().printf("%s left region %s (%d ms); stop its process%n", node, region,
                        (System.nanoTime() - start) / 1_000_000);
            }
            return 0;
        }
    }

    @Command(name = "info", description = "Primary region, epoch, fencing token and every member with its role.")
    static final class Info extends CtlCommand.Sub {
        @Option(names = "--json", description = "print JSON for scripts")
        boolean json;

        @Override
        int run() throws IOException {
            AdminClient.Reply info = ctl.client().get(ctl.address(), "/info");
            if (!info.ok()) {
                return fail(info);
            }
            ClusterView view = view();
            Map<String, ClusterView.Row> rows = new LinkedHashMap<>();
            view.rows().forEach(r -> rows.put(r.node(), r));
            long epoch = info.json().path("epoch").asLong();
            String primary = info.json().path("primary_region").asText();
            String holder = info.json().path("fencing_token").path("lease_holder").asText();
            Optional<ClusterView.Row> primaryLeader = view.primaryLeader();
            if (primaryLeader.isPresent() && primaryLeader.get().epoch() >= epoch) {
                epoch = primaryLeader.get().epoch();
                primary = primaryLeader.get().region();
                holder = primaryLeader.get().status().path("lease_holder").asText(holder);
            }
            List<Map<String, Object>> members = new ArrayList<>();
            for (JsonNode m : info.json().path("members")) {
                ClusterView.Row row = rows.get(m.path("node").asText());
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("node", m.path("node").asText());
                out.put("region", m.path("region").asText());
                out.put("role", role(m, row));
                out.put("up", row != null && row.up());
                out.put("raft", m.path("raft").asText());
                out.put("admin", row == null ? "" : row.admin());
                members.add(out);
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("primary_region", primary);
                out.put("epoch", epoch);
                out.put("fencing_token", Map.of("epoch", epoch, "lease_holder", holder));
                out.put("members", members);
                out().println(Http.JSON.writeValueAsString(out));
                return 0;
            }
            out().printf("primary region  %s%nepoch           %d%nfencing token   epoch %d, lease holder %s%n%n", primary,
                    epoch, epoch, holder.isEmpty() ? "(none: no leader of the primary holds the lease)" : holder);
            String format = "%-12s %-8s %-9s %-21s %s%n";
            out().printf(format, "NODE", "REGION", "ROLE", "RAFT", "ADMIN");
            for (Map<String, Object> m : members) {
                out().printf(format, m.get("node"), m.get("region"), m.get("role"), m.get("raft"), m.get("admin"));
            }
            return 0;
        }

        /** leader / follower / observer from the member's own status; its recorded role when it is down. */
        private static String role(JsonNode member, ClusterView.Row row) {
            String recorded = member.path("role").asText();
            if (row == null || !row.up()) {
                return "down (" + ("observer".equals(recorded) ? "observer" : "voter") + ")";
            }
            return row.role().toLowerCase(java.util.Locale.ROOT); // leader, follower or observer
        }
    }
}
