package io.meridian;

/**
 * Decides, on the proposing node, whether a client request may proceed. Each method returns normally
 * to admit and throws the {@link MeridianException} explaining a refusal. Implementations are called
 * on client threads and must not block or take locks shared with the replication path.
 */
interface WriteAdmission {

    /** Before proposing a write. */
    void check();

    /** Before and after a linearizable read's barrier; single-region deployments need nothing more. */
    default void checkRead() {
    }

    /**
     * After a write committed at {@code position}, before telling the client it succeeded; throws
     * {@link OutcomeUnknownException} when success can no longer be proven.
     */
    default void checkAcknowledgement(Position position) {
    }
}
