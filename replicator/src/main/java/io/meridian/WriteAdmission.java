package io.meridian;

/** Decides, on the proposing node, whether a client write may be proposed now. */
interface WriteAdmission {

    /** Returns normally to admit; throws the {@link MeridianException} explaining a refusal. */
    void check();
}
