package io.meridian.failover;

import java.util.concurrent.TimeUnit;

/**
 * Timing of leases, switchovers and promotions. Set values, then {@link #conclude()} validates them;
 * a concluded configuration is frozen.
 *
 * <p>Setting {@link #leaseNanos(long)} to 0 disables leases: the primary then admits writes without
 * proof that a majority still backs it and a promotion proceeds without votes, so a partitioned old
 * primary keeps accepting writes that will be lost (split brain). Only for setups where an external
 * fence guarantees the old primary is down.
 */
public final class FailoverConfig {

    public static final long DEFAULT_LEASE_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    public static final long DEFAULT_LEASE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    public static final long DEFAULT_SWITCHOVER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    public static final long DEFAULT_PROMOTION_VOTE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    public static final long DEFAULT_VOTE_RESEND_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private long leaseNanos = DEFAULT_LEASE_NANOS;
    private long leaseMarginNanos = DEFAULT_LEASE_MARGIN_NANOS;
    private long switchoverTimeoutNanos = DEFAULT_SWITCHOVER_TIMEOUT_NANOS;
    private long promotionVoteTimeoutNanos = DEFAULT_PROMOTION_VOTE_TIMEOUT_NANOS;
    private long voteResendIntervalNanos = DEFAULT_VOTE_RESEND_INTERVAL_NANOS;
    private boolean concluded;

    /** How long a voter's vouch keeps the primary's lease alive; 0 disables leases (see class doc). */
    public FailoverConfig leaseNanos(long leaseNanos) {
        checkMutable();
        this.leaseNanos = leaseNanos;
        return this;
    }

    public long leaseNanos() {
        return leaseNanos;
    }

    /**
     * Extra wait a promoter adds to the lease to cover clock drift: the largest difference between
     * two voters' clock rates over one lease period.
     */
    public FailoverConfig leaseMarginNanos(long leaseMarginNanos) {
        checkMutable();
        this.leaseMarginNanos = leaseMarginNanos;
        return this;
    }

    public long leaseMarginNanos() {
        return leaseMarginNanos;
    }

    /** How long a switchover may wait for the target to catch up before it is aborted. */
    public FailoverConfig switchoverTimeoutNanos(long switchoverTimeoutNanos) {
        checkMutable();
        this.switchoverTimeoutNanos = switchoverTimeoutNanos;
        return this;
    }

    public long switchoverTimeoutNanos() {
        return switchoverTimeoutNanos;
    }

    /** How long a promotion waits for a majority of votes. */
    public FailoverConfig promotionVoteTimeoutNanos(long promotionVoteTimeoutNanos) {
        checkMutable();
        this.promotionVoteTimeoutNanos = promotionVoteTimeoutNanos;
        return this;
    }

    public long promotionVoteTimeoutNanos() {
        return promotionVoteTimeoutNanos;
    }

    /**
     * How often a promotion re-sends its vote request to voters that have not answered yet, until the
     * vote deadline. Requests are idempotent: a voter answers a repeat exactly as the first.
     */
    public FailoverConfig voteResendIntervalNanos(long voteResendIntervalNanos) {
        checkMutable();
        this.voteResendIntervalNanos = voteResendIntervalNanos;
        return this;
    }

    public long voteResendIntervalNanos() {
        return voteResendIntervalNanos;
    }

    public boolean leaseEnabled() {
        return leaseNanos > 0;
    }

    /** Pings go out three times per lease so that one lost ping does not cost the lease. */
    public long pingIntervalNanos() {
        return Math.max(1, leaseNanos / 3);
    }

    /**
     * Validates and freezes the configuration. Idempotent.
     *
     * @throws IllegalStateException naming the offending setting
     */
    public FailoverConfig conclude() {
        if (concluded) {
            return this;
        }
        if (leaseNanos < 0) {
            throw new IllegalStateException("leaseNanos must be >= 0 (0 disables leases): " + leaseNanos);
        }
        if (leaseMarginNanos < 0) {
            throw new IllegalStateException("leaseMarginNanos must be >= 0: " + leaseMarginNanos);
        }
        if (leaseEnabled() && leaseMarginNanos >= leaseNanos) {
            throw new IllegalStateException("leaseMarginNanos (" + leaseMarginNanos
                    + ") must be smaller than leaseNanos (" + leaseNanos + "): clocks drifting that much make leases meaningless");
        }
        if (switchoverTimeoutNanos <= 0) {
            throw new IllegalStateException("switchoverTimeoutNanos must be > 0: " + switchoverTimeoutNanos);
        }
        if (promotionVoteTimeoutNanos <= 0) {
            throw new IllegalStateException("promotionVoteTimeoutNanos must be > 0: " + promotionVoteTimeoutNanos);
        }
        if (voteResendIntervalNanos <= 0) {
            throw new IllegalStateException("voteResendIntervalNanos must be > 0: " + voteResendIntervalNanos);
        }
        concluded = true;
        return this;
    }

    public boolean isConcluded() {
        return concluded;
    }

    private void checkMutable() {
        if (concluded) {
            throw new IllegalStateException("FailoverConfig is concluded and can no longer change");
        }
    }

    @Override
    public String toString() {
        return "FailoverConfig{leaseNanos=" + leaseNanos + ", leaseMarginNanos=" + leaseMarginNanos
                + ", switchoverTimeoutNanos=" + switchoverTimeoutNanos
                + ", promotionVoteTimeoutNanos=" + promotionVoteTimeoutNanos + '}';
    }
}
