package io.meridian;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Region role changes requested through the API. */
interface FailoverControl extends AutoCloseable {

    CompletableFuture<Duration> switchover(String targetRegion);

    CompletableFuture<Position> promote(boolean allowDataLoss);

    @Override
    default void close() {
    }

    /** The only answer a one-region cluster can give. */
    FailoverControl SINGLE_REGION = new FailoverControl() {
        @Override
        public CompletableFuture<Duration> switchover(String targetRegion) {
            return CompletableFuture.failedFuture(new PromotionRefusedException(
                    "switchover to '" + targetRegion + "' refused: the cluster has a single region"));
        }

        @Override
        public CompletableFuture<Position> promote(boolean allowDataLoss) {
            return CompletableFuture.failedFuture(new PromotionRefusedException(
                    "promotion refused: the cluster has a single region"));
        }
    };
}
