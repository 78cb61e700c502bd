package io.meridian.sim.wan;

/**
 * What one directed link did so far.
 *
 * @param link               "from->to"
 * @param admitted           datagrams accepted for delivery
 * @param forwarded          datagrams sent on towards their destination
 * @param droppedLoss        dropped by the loss probability
 * @param droppedPartition   dropped because the link was partitioned
 * @param droppedOverflow    dropped because too many bytes were already queued on the link
 * @param droppedSendFailure admitted but the relay could not send them (socket buffer full, closed)
 * @param queuedBytes        bytes admitted and not yet delivered
 */
public record LinkStats(String link, long admitted, long forwarded, long droppedLoss, long droppedPartition,
                        long droppedOverflow, long droppedSendFailure, long queuedBytes) {

    public long dropped() {
        return droppedLoss + droppedPartition + droppedOverflow + droppedSendFailure;
    }
}
