package io.meridian.xregion;

import java.util.List;

/**
 * Which node of the remote region to talk to. Starts with the first configured endpoint, follows
 * leader hints (even to an endpoint outside the list: the remote region may have changed membership),
 * and rotates round-robin through the list when a node does not answer.
 */
final class EndpointSelector {

    private List<String> endpoints;
    private int cursor;
    private String current;
    private int consecutiveRedirects;

    EndpointSelector(List<String> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("remote region needs at least one endpoint");
        }
        for (String endpoint : endpoints) {
            if (endpoint == null || endpoint.isEmpty()) {
                throw new IllegalArgumentException("blank endpoint in " + endpoints);
            }
        }
        this.endpoints = List.copyOf(endpoints);
        this.current = this.endpoints.get(0);
    }

    /**
     * A new list (the remote region's membership changed). The current target stays: it may be the
     * remote leader, and a node that left stops answering, which rotates to the new list.
     */
    void replace(List<String> newEndpoints) {
        if (newEndpoints.isEmpty() || newEndpoints.equals(endpoints)) {
            return;
        }
        endpoints = List.copyOf(newEndpoints);
        int at = endpoints.indexOf(current);
        cursor = at >= 0 ? at : endpoints.size() - 1; // the next rotation starts at the list's head
    }

    String current() {
        return current;
    }

    int size() {
        return endpoints.size();
    }

    /** Next endpoint of the list after the last listed one tried (hints do not move the rotation). */
    String rotate() {
        consecutiveRedirects = 0;
        cursor = (cursor + 1) % endpoints.size();
        current = endpoints.get(cursor);
        return current;
    }

    /**
     * Targets a hinted leader, at most as many hops in a row as the list has endpoints: stale hints
     * can point in a circle while the remote region elects. When the hint is in the list, rotation
     * continues from it.
     *
     * @return false, changing nothing, for an empty hint, a hint to the current target, or once the
     *         hop budget is spent (it refills on {@link #rotate()} and {@link #connected()})
     */
    boolean tryRedirect(String hint) {
        if (hint == null || hint.isEmpty() || hint.equals(current) || consecutiveRedirects >= endpoints.size()) {
            return false;
        }
        consecutiveRedirects++;
        final int position = endpoints.indexOf(hint);
        if (position >= 0) {
            cursor = position;
        }
        current = hint;
        return true;
    }

    /** The current target answered as leader. */
    void connected() {
        consecutiveRedirects = 0;
    }
}
