package io.meridian.sim.check.linear;

/**
 * The verdict on one key.
 *
 * @param key        the register
 * @param verdict    OK, VIOLATION, or UNKNOWN when the search ran out of budget
 * @param ops        ops of the key given to the checker
 * @param checkedOps of those, the ones the search had to place (see {@link KeyHistory} for the others)
 * @param steps      search steps spent
 * @param violation  where it fails, when the verdict is VIOLATION; otherwise null
 */
public record KeyResult(String key, Verdict verdict, int ops, int checkedOps, long steps, LinearViolation violation) {
}
