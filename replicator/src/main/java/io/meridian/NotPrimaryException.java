package io.meridian;

/**
 * This region is not the primary: writes go to {@link #primaryRegion()}, whose Raft leader is
 * {@link #primaryLeaderNode()} (at {@link #primaryLeaderEndpoint()}) when this node knows it.
 */
public class NotPrimaryException extends MeridianException {

    private final String primaryRegion;
    private final long epoch;
    private final String primaryLeaderNode;
    private final String primaryLeaderEndpoint;

    public NotPrimaryException(String message, String primaryRegion, long epoch) {
        this(message, primaryRegion, epoch, "", "");
    }

    public NotPrimaryException(String message, String primaryRegion, long epoch, String primaryLeaderNode,
                               String primaryLeaderEndpoint) {
        super(message);
        this.primaryRegion = primaryRegion;
        this.epoch = epoch;
        this.primaryLeaderNode = primaryLeaderNode == null ? "" : primaryLeaderNode;
        this.primaryLeaderEndpoint = primaryLeaderEndpoint == null ? "" : primaryLeaderEndpoint;
    }

    public String primaryRegion() {
        return primaryRegion;
    }

    public long epoch() {
        return epoch;
    }

    /** Node id of the primary region's Raft leader as last known here, "" when unknown. */
    public String primaryLeaderNode() {
        return primaryLeaderNode;
    }

    /** That leader's Aeron endpoint (host:port, as in the topology), "" when unknown. */
    public String primaryLeaderEndpoint() {
        return primaryLeaderEndpoint;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
