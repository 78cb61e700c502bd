package io.meridian.node;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Comparator;
import java.util.Optional;

/**
 * {@code meridian ctl transfer-leader REGION [--to NODE]}: moves a region's Raft leadership off its
 * current leader, as a rolling restart does before restarting that node. Without {@code --to} it
 * picks the reachable follower with the highest applied index (the one that catches up soonest).
 */
@Command(name = "transfer-leader", description = "Hand REGION's Raft leadership to another of its nodes.")
final class CtlTransferLeader extends CtlCommand.Sub {

    @Parameters(paramLabel = "REGION")
    String region;

    @Option(names = "--to", paramLabel = "NODE", description = "the new leader (default: the most caught-up follower)")
    String to;

    @Override
    int run() throws IOException {
        ClusterView view = view();
        Optional<ClusterView.Row> leader = view.leaderOf(region);
        if (leader.isEmpty()) {
            return fail(view.hasRegion(region) ? "region " + region + " has no reachable leader"
                    : "unknown region '" + region + "'");
        }
        String target = to;
        if (target == null) {
            Optional<ClusterView.Row> follower = view.rows().stream()
                    .filter(r -> r.region().equals(region) && r.up() && !r.node().equals(leader.get().node()))
                    .max(Comparator.comparingLong(r -> r.status().path("applied_index").asLong()));
            if (follower.isEmpty()) {
                return fail("region " + region + " has no reachable follower to take over");
            }
            target = follower.get().node();
        }
        AdminClient.Reply r = ctl.client().send("POST", leader.get().admin(), "/admin/transfer-leader?to=" + encode(target),
                null);
        if (!r.ok()) {
            return fail(r);
        }
        out().printf("region %s: leader %s -> %s in %d ms%n", region, leader.get().node(), target,
                r.json().path("took_ms").asLong());
        return 0;
    }
}
