package io.meridian.failover;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Who votes on leases and promotions: every data region plus an optional witness that holds no data.
 *
 * @param regions data regions, in configuration order
 * @param witness name of the witness voter, or {@code null} when there is none
 */
public record Voters(List<String> regions, String witness) {

    public Voters {
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("at least one data region is required");
        }
        if (new HashSet<>(regions).size() != regions.size()) {
            throw new IllegalArgumentException("duplicate region in " + regions);
        }
        if (witness != null && (witness.isBlank() || regions.contains(witness))) {
            throw new IllegalArgumentException("witness '" + witness + "' must be a distinct, non-blank name");
        }
    }

    /** Data regions only. */
    public static Voters of(List<String> regions) {
        return new Voters(regions, null);
    }

    /** Data regions plus a witness. */
    public static Voters withWitness(List<String> regions, String witness) {
        return new Voters(regions, Objects.requireNonNull(witness, "witness"));
    }

    /** Every voter: data regions, then the witness if any. */
    public List<String> all() {
        if (witness == null) {
            return regions;
        }
        final List<String> all = new ArrayList<>(regions);
        all.add(witness);
        return List.copyOf(all);
    }

    public int size() {
        return regions.size() + (witness == null ? 0 : 1);
    }

    /** floor(n/2)+1: any two majorities share a voter. */
    public int majority() {
        return size() / 2 + 1;
    }

    public boolean isDataRegion(String name) {
        return regions.contains(name);
    }

    public boolean isVoter(String name) {
        return regions.contains(name) || Objects.equals(witness, name);
    }
}
