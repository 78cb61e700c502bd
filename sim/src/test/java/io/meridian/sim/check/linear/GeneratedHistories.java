package io.meridian.sim.check.linear;

import io.meridian.sim.check.linear.Op.Outcome;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic generator of linearizable register histories: several sequential clients per key
 * issue overlapping reads and writes; every op that takes effect gets a linearization point
 * inside its interval (or, for an unknown write, anywhere after its invocation), and reads return
 * what the register holds at their point. Some ops fail (no effect) or end unknown (a write may
 * then take effect or not; a read's result is garbage).
 */
final class GeneratedHistories {

    private GeneratedHistories() {
    }

    /** Mutable draft of an op, until the replay knows what its read returned. */
    private static final class Draft {
        long id;
        String client;
        boolean write;
        String value;
        long invoke;
        long complete;
        Outcome outcome;
        long point = -1; // linearization point, -1 when it never takes effect

        Op toOp(String key) {
            Op.Kind kind = write ? Op.Kind.WRITE : Op.Kind.READ;
            return new Op(id, client, key, kind, value, invoke, complete, outcome, "r0");
        }
    }

    static List<Op> linearizable(long seed, int keys, int clientsPerKey, int opsPerClient, double failRate,
                                 double unknownRate) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Op> history = new ArrayList<>(keys * clientsPerKey * opsPerClient);
        long nextId = 1;
        for (int k = 0; k < keys; k++) {
            String key = "k" + k;
            List<Draft> drafts = new ArrayList<>(clientsPerKey * opsPerClient);
            int written = 0;
            for (int c = 0; c < clientsPerKey; c++) {
                long t = rnd.nextLong(100);
                for (int i = 0; i < opsPerClient; i++) {
                    Draft d = new Draft();
                    d.id = nextId++;
                    d.client = "c" + c;
                    d.write = rnd.nextBoolean();
                    d.invoke = t + rnd.nextLong(50);
                    long duration = 1 + rnd.nextLong(200);
                    d.complete = d.invoke + duration;
                    double roll = rnd.nextDouble();
                    d.outcome = roll < failRate ? Outcome.FAIL
                            : roll < failRate + unknownRate ? Outcome.UNKNOWN : Outcome.OK;
                    if (d.write) {
                        d.value = key + "-v" + written++;
                    }
                    if (d.outcome == Outcome.OK) {
                        d.point = d.invoke + rnd.nextLong(duration + 1);
                    } else if (d.outcome == Outcome.UNKNOWN) {
                        // An unknown write may land well after the client gave up on it, or never.
                        if (d.write && rnd.nextBoolean()) {
                            d.point = d.invoke + rnd.nextLong(3 * duration);
                        }
                        if (!d.write) {
                            d.value = "garbage";
                        }
                        if (rnd.nextBoolean()) {
                            d.complete = Op.NEVER;
                        }
                    }
                    // The client moves on once it has its outcome (or has timed out).
                    t = d.invoke + duration;
                    drafts.add(d);
                }
            }
            List<Draft> applied = new ArrayList<>();
            for (Draft d : drafts) {
                if (d.point >= 0) {
                    applied.add(d);
                }
            }
            applied.sort(Comparator.comparingLong((Draft d) -> d.point).thenComparingLong(d -> d.id));
            String register = null;
            for (Draft d : applied) {
                if (d.write) {
                    register = d.value;
                } else {
                    d.value = register;
                }
            }
            for (Draft d : drafts) {
                history.add(d.toOp(key));
            }
        }
        return history;
    }
}
