package io.meridian.sim.check.linear;

import java.util.Arrays;

/**
 * The set of ops linearized so far, as a bitset over ops numbered by invocation, and its compact
 * snapshots for the search's cache.
 *
 * <p>A snapshot stores only the words from the first one that is not full to the last non-zero one:
 * ops are linearized roughly in invocation order, so the bits below are all ones and the bits above
 * all zeros. That keeps a cache entry a few words long instead of n/64, which is what lets a
 * 100k-op key fit in memory. The form is canonical (the same set always gives the same snapshot),
 * so snapshots can be compared directly.
 */
final class LinearizedSet {

    private final long[] words;
    /** First word that is not all ones. */
    private int base;
    /** One past the last non-zero word. */
    private int top;

    LinearizedSet(int ops) {
        words = new long[(ops + 63) >>> 6];
    }

    void set(int op) {
        int w = op >>> 6;
        words[w] |= 1L << op;
        if (w + 1 > top) {
            top = w + 1;
        }
        while (base < words.length && words[base] == -1L) {
            base++;
        }
    }

    void clear(int op) {
        int w = op >>> 6;
        words[w] &= ~(1L << op);
        if (w < base) {
            base = w;
        }
        while (top > 0 && words[top - 1] == 0) {
            top--;
        }
    }

    /** A snapshot of this set paired with a register state, as the cache stores it. */
    Snapshot snapshot(int state) {
        return new Snapshot(state, base, Arrays.copyOfRange(words, base, Math.max(base, top)));
    }

    /** An immutable (linearized set, register state) pair with value equality. */
    static final class Snapshot {
        private final int state;
        private final int base;
        private final long[] tail;
        private final int hash;

        Snapshot(int state, int base, long[] tail) {
            this.state = state;
            this.base = base;
            this.tail = tail;
            this.hash = (31 * state + base) * 31 + Arrays.hashCode(tail);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && s.hash == hash && s.state == state && s.base == base
                    && Arrays.equals(s.tail, tail);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
