package io.meridian.xregion;

import io.meridian.wal.WalEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test entries of the cluster log. */
final class Entries {

    private Entries() {
    }

    static WalEntry entry(long index, int payloadBytes) {
        final byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payloadBytes; i++) {
            payload[i] = (byte) (index + i);
        }
        return new WalEntry(index, index + 3, 2, 7, "us-east", 1_700_000_000_000L + index, WalEntry.TYPE_DATA, payload);
    }

    /** Consecutive entries from {@code first}, with random (incompressible) payloads. */
    static List<WalEntry> randomRun(long first, int count, int maxPayload, Random random) {
        final List<WalEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final byte[] payload = new byte[random.nextInt(maxPayload + 1)];
            random.nextBytes(payload);
            final byte type = random.nextBoolean() ? WalEntry.TYPE_DATA : WalEntry.TYPE_CONTROL;
            final String origin = random.nextBoolean() ? "us-east" : "eu-wëst-€";
            entries.add(new WalEntry(first + i, random.nextLong(), random.nextLong(), random.nextLong(), origin,
                    random.nextLong(), type, payload));
        }
        return entries;
    }
}
