package io.meridian;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class AppliedWaitersTest {

    @Test
    void timedOutWaitersLeave() {
        AppliedWaiters waiters = new AppliedWaiters(1_000);
        for (int i = 0; i < 500; i++) {
            waiters.await(1_000 + i).orTimeout(200, TimeUnit.MILLISECONDS);
        }
        assertThat(waiters.size()).isPositive();

        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.size() == 0);
    }

    @Test
    void reachedWaitersLeaveAndComplete() {
        AppliedWaiters waiters = new AppliedWaiters(10);
        CompletableFuture<Void> early = waiters.await(5);
        CompletableFuture<Void> late = waiters.await(9);

        waiters.advance(6);

        assertThat(early).isCompleted();
        assertThat(late).isNotDone();
        assertThat(waiters.size()).isEqualTo(1);
        assertThat(waiters.await(3)).as("already applied").isCompleted();
    }

    @Test
    void fullWaitersRefuseWithARetriableError() {
        AppliedWaiters waiters = new AppliedWaiters(2);
        waiters.await(10);
        CompletableFuture<Void> cancelled = waiters.await(11);

        assertThat(waiters.await(12)).isCompletedExceptionally()
                .failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(OverloadedException.class)
                .withMessageContaining("maxAppliedWaiters");

        cancelled.cancel(false);
        assertThat(waiters.await(12)).as("a cancelled waiter made room").isNotDone();
    }
}
