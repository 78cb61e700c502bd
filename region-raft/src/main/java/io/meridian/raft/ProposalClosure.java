package io.meridian.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;

import java.util.concurrent.CompletableFuture;

/** Completes a future with the {@link Outcome} the state machine computed, or a {@link RegionException}. */
final class ProposalClosure implements Closure {

    private final CompletableFuture<Outcome> future = new CompletableFuture<>();
    private final RegionNode node;
    private volatile Outcome outcome;

    ProposalClosure(RegionNode node) {
        this.node = node;
    }

    CompletableFuture<Outcome> future() {
        return future;
    }

    void setOutcome(Outcome outcome) {
        this.outcome = outcome;
    }

    @Override
    public void run(Status status) {
        if (status.isOk()) {
            future.complete(outcome != null ? outcome : new Outcome.Done(-1));
        } else {
            future.completeExceptionally(RegionException.fromProposal(status, node.leaderEndpoint()));
        }
    }
}
