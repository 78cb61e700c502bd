package io.meridian;

/** This node is not its region's Raft leader. Writes are refused, not forwarded: retry on {@link #leaderNode()}. */
public class NotLeaderException extends MeridianException {

    private final String leaderNode;
    private final String leaderEndpoint;

    public NotLeaderException(String message, String leaderNode, String leaderEndpoint) {
        super(message);
        this.leaderNode = leaderNode == null ? "" : leaderNode;
        this.leaderEndpoint = leaderEndpoint == null ? "" : leaderEndpoint;
    }

    /** Node id of the current leader, or empty while an election is on. */
    public String leaderNode() {
        return leaderNode;
    }

    /** Raft endpoint of the current leader, or empty while an election is on. */
    public String leaderEndpoint() {
        return leaderEndpoint;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
