package io.meridian;

/**
 * One member of the cluster as a node knows it (see {@link ClusterMembers#view()}).
 *
 * @param nodeId        the node
 * @param region        its region
 * @param raftEndpoint  its Raft endpoint
 * @param aeronEndpoint its Aeron endpoint ("" in a single-region cluster)
 * @param adminEndpoint its admin address when it was added with one, else ""
 * @param role          its role as this node knows it
 */
public record Member(String nodeId, String region, String raftEndpoint, String aeronEndpoint, String adminEndpoint,
                     Role role) {

    /**
     * {@code LEADER}, {@code FOLLOWER} and {@code OBSERVER} are known in the node's own region. A node
     * does not follow other regions' elections, so their members are {@code VOTER} or {@code OBSERVER}.
     */
    public enum Role { LEADER, FOLLOWER, OBSERVER, VOTER }

    public boolean isObserver() {
        return role == Role.OBSERVER;
    }
}
