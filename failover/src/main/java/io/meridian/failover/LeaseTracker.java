package io.meridian.failover;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The primary's lease: it may write while a majority of voters has recently vouched for it.
 *
 * <p>A vouch is dated by the time the primary <em>sent</em> the ping, not when the pong arrived. The
 * voter vouched somewhere between those two moments, so dating from the send never stretches the lease
 * past what the voter granted.
 *
 * <p>Clock assumption: no synchronised clocks. Each side measures only durations on its own monotonic
 * clock (here: from ping send to now; on the promoter: from the last needed vote to the end of its
 * wait). This is safe as long as the clocks' <em>rates</em> differ by less than the configured
 * {@link FailoverConfig#leaseMarginNanos() margin} over one lease. Times are {@link System#nanoTime()}
 * style values that may be negative or wrap, so they are only ever compared by subtraction.
 *
 * <p>Not thread-safe; owned by the {@link RoleMachine}.
 */
public final class LeaseTracker {

    private final String self;
    private final String[] others;
    private final long[] vouchedSentNanos;
    private final boolean[] vouched;
    /** Scratch for {@link #expiresAtNanos()}, asked after every duty cycle: sorting allocates nothing. */
    private final long[] offsets;
    private final int majority;
    private final long leaseNanos;

    /**
     * @param self       own voter name, counted as always vouching
     * @param voters     all voter names, {@code self} included
     * @param leaseNanos how long one vouch lasts, > 0
     */
    public LeaseTracker(String self, Collection<String> voters, long leaseNanos) {
        if (!voters.contains(self)) {
            throw new IllegalArgumentException("voters " + voters + " must include self '" + self + "'");
        }
        if (leaseNanos <= 0) {
            throw new IllegalArgumentException("leaseNanos must be > 0: " + leaseNanos);
        }
        final List<String> rest = new ArrayList<>(voters);
        rest.remove(self);
        this.self = self;
        this.others = rest.toArray(String[]::new);
        this.vouchedSentNanos = new long[others.length];
        this.vouched = new boolean[others.length];
        this.offsets = new long[others.length];
        this.majority = voters.size() / 2 + 1;
        this.leaseNanos = leaseNanos;
    }

    /**
     * Records that {@code voter} vouched for a ping sent at {@code echoedSentNanos}. Older echoes than
     * one already recorded, unknown voters and self are ignored.
     */
    public void onPong(String voter, long echoedSentNanos) {
        final int i = indexOf(voter);
        if (i < 0) {
            return;
        }
        if (!vouched[i] || echoedSentNanos - vouchedSentNanos[i] > 0) {
            vouchedSentNanos[i] = echoedSentNanos;
            vouched[i] = true;
        }
    }

    /** True when self plus the voters whose vouch is younger than the lease form a majority. */
    public boolean holds(long nowNanos) {
        int count = 1;
        for (int i = 0; i < others.length; i++) {
            if (vouched[i] && nowNanos - vouchedSentNanos[i] < leaseNanos) {
                count++;
            }
        }
        return count >= majority;
    }

    /**
     * When the lease runs out unless renewed: the majority-forming vouch that expires first. Only
     * meaningful while enough voters have vouched ({@link #hasQuorumOfVouches()}); a lone voter's lease
     * never expires ({@link Long#MAX_VALUE}) and without a quorum this is {@link Long#MIN_VALUE}.
     */
    public long expiresAtNanos() {
        final int needed = majority - 1;
        if (needed == 0) {
            return Long.MAX_VALUE;
        }
        // Offsets from one reference keep the ordering correct even if nanoTime wraps between vouches.
        long reference = 0;
        int n = 0;
        for (int i = 0; i < others.length; i++) {
            if (vouched[i]) {
                if (n == 0) {
                    reference = vouchedSentNanos[i];
                }
                offsets[n++] = vouchedSentNanos[i] - reference;
            }
        }
        if (n < needed) {
            return Long.MIN_VALUE;
        }
        Arrays.sort(offsets, 0, n);
        return reference + offsets[n - needed] + leaseNanos;
    }

    /** True when at least a majority (self included) has ever vouched since the last {@link #reset()}. */
    public boolean hasQuorumOfVouches() {
        int count = 1;
        for (final boolean v : vouched) {
            count += v ? 1 : 0;
        }
        return count >= majority;
    }

    /** Forgets every vouch, e.g. when leadership or the epoch changes. */
    public void reset() {
        Arrays.fill(vouched, false);
        Arrays.fill(vouchedSentNanos, 0);
    }

    /**
     * The send time of the newest ping {@code voter} vouched for since the last {@link #reset()}, or
     * {@link Long#MIN_VALUE} if it has not vouched (or is unknown or self). For monitoring only.
     */
    public long vouchedSentNanos(String voter) {
        final int i = indexOf(voter);
        return i >= 0 && vouched[i] ? vouchedSentNanos[i] : Long.MIN_VALUE;
    }

    public int majority() {
        return majority;
    }

    public String self() {
        return self;
    }

    private int indexOf(String voter) {
        for (int i = 0; i < others.length; i++) {
            if (others[i].equals(voter)) {
                return i;
            }
        }
        return -1;
    }
}
