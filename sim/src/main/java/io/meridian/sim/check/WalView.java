package io.meridian.sim.check;

import java.util.List;

/**
 * One node's WAL as the checker reads it, in index order.
 *
 * @param nodeId  the node
 * @param entries its WAL from the first retained entry (may start after index 1) to the last
 */
public record WalView(String nodeId, List<LogEntry> entries) {

    public WalView {
        entries = List.copyOf(entries);
    }
}
