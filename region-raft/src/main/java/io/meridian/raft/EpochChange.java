package io.meridian.raft;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The control record that starts an epoch. It is itself an entry of the cluster log (type
 * CONTROL), so it ships to other regions in order with the data and every region switches epoch
 * at exactly the same index.
 *
 * @param newEpoch      the epoch that starts with this entry
 * @param primaryRegion primary of the new epoch
 * @param basis         last index of the previous epoch that the new primary holds
 * @param reason        SWITCHOVER or PROMOTION (for reports)
 */
public record EpochChange(long newEpoch, String primaryRegion, long basis, Reason reason) {

    private static final byte VERSION = 1;

    /** Why the epoch changed. */
    public enum Reason { SWITCHOVER, PROMOTION }

    public byte[] encode() {
        byte[] region = primaryRegion.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 1 + 4 + region.length);
        b.put(VERSION).putLong(newEpoch).putLong(basis).put((byte) reason.ordinal()).putInt(region.length).put(region);
        return b.array();
    }

    public static EpochChange decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalStateException("unsupported epoch-change version " + version);
        }
        long epoch = b.getLong();
        long basis = b.getLong();
        Reason reason = Reason.values()[b.get()];
        byte[] region = new byte[b.getInt()];
        b.get(region);
        return new EpochChange(epoch, new String(region, StandardCharsets.UTF_8), basis, reason);
    }
}
