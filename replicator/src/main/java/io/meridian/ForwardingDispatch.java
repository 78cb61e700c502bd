package io.meridian;

import io.meridian.transport.Envelope;
import io.meridian.transport.Message;
import io.meridian.xregion.CrossRegionListener;

/**
 * Sits in front of the {@link FailoverCoordinator} on the cross-region agent: hands forwarding
 * messages to the {@link WriteForwarder}, notes which node leads the primary region from its pings,
 * and passes everything on to the coordinator unchanged.
 */
final class ForwardingDispatch implements CrossRegionListener {

    private final CrossRegionListener next;
    private final WriteForwarder forwarder;
    private final PrimaryLeaders leaders;
    private final String region;

    ForwardingDispatch(CrossRegionListener next, WriteForwarder forwarder, PrimaryLeaders leaders, String region) {
        this.next = next;
        this.forwarder = forwarder;
        this.leaders = leaders;
        this.region = region;
    }

    @Override
    public void onOtherMessage(Envelope env) {
        Message m = env.message();
        if (m instanceof Message.ForwardRequest r) {
            forwarder.onRequest(env, r);
            return;
        }
        if (m instanceof Message.ForwardReply r) {
            forwarder.onReply(env, r);
            return;
        }
        if (m instanceof Message.Ping p && !env.senderRegion().equals(region)
                && p.primaryRegion().equals(env.senderRegion())) {
            // Only the primary's leader pings other regions for its lease.
            leaders.onPrimaryContact(env.senderRegion(), env.senderNode(), env.senderEndpoint(), System.nanoTime());
        }
        next.onOtherMessage(env);
    }

    @Override
    public void onRemoteAcked(String remoteRegion, long ackedIndex) {
        next.onRemoteAcked(remoteRegion, ackedIndex);
    }

    @Override
    public void onBatchReceived(String senderRegion, long lastIndex) {
        next.onBatchReceived(senderRegion, lastIndex);
    }

    @Override
    public void onDiverged(String primaryRegion, String primaryEndpoint, long matchIndex, long primaryEpoch) {
        next.onDiverged(primaryRegion, primaryEndpoint, matchIndex, primaryEpoch);
    }

    @Override
    public int doWork(long nowNanos) {
        return next.doWork(nowNanos);
    }
}
