package io.meridian.transport;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs dropped frames at WARN, at most once per reason per interval.
 *
 * <p>A misconfigured peer or an attacker can make every inbound frame fail, so logging each drop
 * would turn a bad frame stream into a disk-filling log stream. Drops in between are counted and
 * reported with the next line. Thread-safe; drops are rare enough that a monitor costs nothing.
 */
final class DropLog {

    static final long DEFAULT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(DropLog.class);

    private final NanoClock clock;
    private final long intervalNs;
    private final long[] lastLoggedNs = new long[DropCounters.Reason.values().length];
    private final long[] suppressed = new long[DropCounters.Reason.values().length];
    private final boolean[] everLogged = new boolean[DropCounters.Reason.values().length];

    DropLog(NanoClock clock, long intervalNs) {
        this.clock = clock;
        this.intervalNs = intervalNs;
    }

    DropLog() {
        this(System::nanoTime, DEFAULT_INTERVAL_NS);
    }

    /**
     * Records a drop; logs it unless this reason was logged within the interval.
     *
     * @param header the parsed header, or null if the frame was dropped before it could be parsed
     * @return whether a line was logged
     */
    synchronized boolean onDrop(DropCounters.Reason reason, FrameHeader header) {
        int r = reason.ordinal();
        long now = clock.nanoTime();
        if (everLogged[r] && now - lastLoggedNs[r] < intervalNs) {
            suppressed[r]++;
            return false;
        }
        long alsoDropped = suppressed[r];
        everLogged[r] = true;
        lastLoggedNs[r] = now;
        suppressed[r] = 0;
        String since = alsoDropped == 0 ? "" : "; " + alsoDropped + " more since the last report";
        if (header == null) {
            LOG.warn("dropped frame (header unparsed): {} ({}){}", reason, hint(reason), since);
        } else {
            LOG.warn("dropped frame from region={} node={} endpoint={}: {} ({}){}", header.senderRegion(),
                header.senderNode(), header.senderEndpoint(), reason, hint(reason), since);
        }
        return true;
    }

    private static String hint(DropCounters.Reason reason) {
        return switch (reason) {
            case TRUNCATED -> "frame shorter than its own lengths claim";
            case BAD_MAGIC -> "not a Meridian frame";
            case BAD_VERSION -> "peer speaks another wire version";
            case UNKNOWN_TYPE -> "peer runs a newer version?";
            case BAD_MAC -> "wrong cluster secret? the sender named is unverified";
            case REPLAYED -> "duplicate or replayed frame";
            case MALFORMED -> "fields do not match their declared lengths";
        };
    }
}
