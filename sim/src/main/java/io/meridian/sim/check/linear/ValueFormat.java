package io.meridian.sim.check.linear;

/**
 * The value format the workload must write for the secondary-read checks: {@code "w<writeId>:"}
 * followed by any padding, where {@code writeId} is unique within the run. It is the format
 * {@code io.meridian.sim.check.WriteRecord#valueFor} already produces.
 *
 * <p>Why a unique id and not a sequence number giving the order: concurrent writers, and writes whose
 * outcome is unknown (still in flight after a timeout), reach the log in an order no client-side
 * counter predicts. The only order every region must respect is the cluster-log index at which each
 * write was applied, which the run learns afterwards from the final log (see {@link WriteOrder}).
 * The id just lets a read name the write whose value it saw.
 */
public final class ValueFormat {

    private ValueFormat() {
    }

    /** The shortest value for {@code writeId}; the workload may append padding. */
    public static String of(long writeId) {
        if (writeId < 0) {
            throw new IllegalArgumentException("write id must not be negative: " + writeId);
        }
        return "w" + writeId + ":";
    }

    /** The write id a value names, or -1 when the value is null or not in this format. */
    public static long writeIdOf(String value) {
        if (value == null || value.length() < 3 || value.charAt(0) != 'w') {
            return -1;
        }
        long id = 0;
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':') {
                return i > 1 ? id : -1;
            }
            // 18 digits always fit in a long.
            if (c < '0' || c > '9' || i > 18) {
                return -1;
            }
            id = id * 10 + (c - '0');
        }
        return -1;
    }
}
