package io.meridian.transport;

import java.util.HashMap;
import java.util.Map;

/**
 * Rejects frames that were already accepted, so a captured frame cannot be re-injected.
 *
 * <p>Remembers, per sender (region + node), the highest {@code (incarnation, frameSeq)} accepted.
 * A frame passes if it comes from a newer incarnation (the sender restarted, its sequence starts
 * over) or from the same incarnation with a higher sequence. Gaps are fine (a sender's sequence is
 * shared by all its destinations and offers can fail); going backwards is not.
 *
 * <p>Only consult it after the frame's MAC verified: otherwise a forged frame with a huge
 * incarnation would lock the real sender out. Not thread-safe: owned by one receive path.
 * State is one entry per authenticated sender, so it is bounded by the cluster's size.
 */
public final class ReplayGuard {

    private record SenderKey(String region, String node) { }

    private static final class Highest {
        long incarnation;
        long frameSeq;
    }

    private final Map<SenderKey, Highest> highestBySender = new HashMap<>();

    /**
     * Accepts and records the frame if it is fresh.
     *
     * @return true if the frame is fresh, false if it is a replay (or older than one already accepted)
     */
    public boolean accept(String region, String node, long incarnation, long frameSeq) {
        Highest highest = highestBySender.get(new SenderKey(region, node));
        if (highest == null) {
            highest = new Highest();
            highest.incarnation = incarnation;
            highest.frameSeq = frameSeq;
            highestBySender.put(new SenderKey(region, node), highest);
            return true;
        }
        if (incarnation > highest.incarnation
            || (incarnation == highest.incarnation && frameSeq > highest.frameSeq)) {
            highest.incarnation = incarnation;
            highest.frameSeq = frameSeq;
            return true;
        }
        return false;
    }

    /** Number of senders remembered. */
    public int senderCount() {
        return highestBySender.size();
    }
}
