package io.meridian;

import java.util.List;

/**
 * Who is who in the cluster, as one node knows it.
 *
 * @param primaryRegion the primary region of {@code epoch}
 * @param epoch         the newest epoch this node knows of
 * @param leaseHolder   the fencing token's holder: the node that leads the primary region and holds its
 *                      lease, when this node knows it (nodes of the primary region do), else ""; with
 *                      {@code epoch} it is the fencing token: a write is only acknowledged by that node in
 *                      that epoch
 * @param members       every member of every region, observers included, with its role
 */
public record Membership(String primaryRegion, long epoch, String leaseHolder, List<Member> members) {

    public Membership {
        members = List.copyOf(members);
    }
}
