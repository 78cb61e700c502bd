package io.meridian.sim.wan;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The emulated WAN between regions of one simulated cluster: every directed region pair has a
 * {@link LinkConditions}, and cross-region UDP goes through {@link UdpRelay}s that apply them.
 *
 * <p>Each link's random stream is derived from the emulator seed and the link's name, so a link's
 * loss and jitter pattern does not depend on the order in which links were created.
 *
 * <p>Threads: one selector thread reads every relay socket and one delivery thread sends datagrams
 * when they are due. All public methods are thread-safe.
 */
public final class WanEmulator implements AutoCloseable {

    private final long seed;
    private final LinkConditions defaults = new LinkConditions("defaults", 0);
    private final Map<String, LinkConditions> links = new LinkedHashMap<>();
    private final Map<String, UdpRelay> relays = new LinkedHashMap<>();
    private final Set<String> regions = new LinkedHashSet<>();
    /** Links created later for an isolated region start partitioned. */
    private final Set<String> isolated = new LinkedHashSet<>();
    /** Node endpoints whose relays drop everything (see {@link #cutEndpoint}). */
    private final Set<String> cutEndpoints = new LinkedHashSet<>();
    private RelayLoop loop;
    private DeliveryScheduler scheduler;
    private boolean closed;

    public WanEmulator(long seed) {
        this.seed = seed;
    }

    /** Template copied into every link when it is created; changing it does not touch existing links. */
    public LinkConditions defaults() {
        return defaults;
    }

    /** The conditions of traffic from {@code fromRegion} to {@code toRegion}, created on first use. */
    public synchronized LinkConditions link(String fromRegion, String toRegion) {
        if (fromRegion.equals(toRegion)) {
            throw new IllegalArgumentException("a link joins two different regions, got " + fromRegion + " twice");
        }
        String name = linkName(fromRegion, toRegion);
        LinkConditions link = links.get(name);
        if (link == null) {
            link = new LinkConditions(name, linkSeed(name)).copyFrom(defaults);
            if (isolated.contains(fromRegion) || isolated.contains(toRegion)) {
                link.partitioned(true);
            }
            links.put(name, link);
            regions.add(fromRegion);
            regions.add(toRegion);
        }
        return link;
    }

    /**
     * The address ("127.0.0.1:port") that nodes of {@code fromRegion} should use to reach
     * {@code targetEndpoint} ("host:port", a node of {@code toRegion}). The relay is created on
     * the first call and reused after.
     */
    public synchronized String relayFor(String fromRegion, String toRegion, String targetEndpoint) {
        ensureOpen();
        String key = linkName(fromRegion, toRegion) + "|" + targetEndpoint;
        UdpRelay relay = relays.get(key);
        if (relay == null) {
            if (loop == null) {
                loop = new RelayLoop("wan-relay");
                scheduler = new DeliveryScheduler("wan-delivery");
            }
            relay = new UdpRelay(loop, scheduler, parseEndpoint(targetEndpoint), link(fromRegion, toRegion),
                    link(toRegion, fromRegion));
            relay.cut(cutEndpoints.contains(targetEndpoint));
            relays.put(key, relay);
        }
        InetSocketAddress a = relay.address();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** Cuts both directions between two regions. */
    public synchronized void partition(String regionA, String regionB) {
        link(regionA, regionB).partitioned(true);
        link(regionB, regionA).partitioned(true);
    }

    /** Restores both directions between two regions, whatever partitioned them (pair or isolation). */
    public synchronized void heal(String regionA, String regionB) {
        link(regionA, regionB).partitioned(false);
        link(regionB, regionA).partitioned(false);
    }

    /** Cuts a region off from every other region known now or linked later (until healed). */
    public synchronized void isolate(String region) {
        isolated.add(region);
        for (String other : new ArrayList<>(regions)) {
            if (!other.equals(region)) {
                partition(region, other);
            }
        }
    }

    /**
     * Drops every datagram relayed to {@code endpoint} and every reply it sends back through those
     * relays: the node hears nothing from other regions (pings, acks, votes), while its own region's
     * traffic, which does not cross the WAN, is untouched. Undone by {@link #healAll}.
     */
    public synchronized void cutEndpoint(String endpoint) {
        cutEndpoints.add(endpoint);
        relays.forEach((key, relay) -> relay.cut(cutEndpoints.contains(key.substring(key.indexOf('|') + 1))));
    }

    /** Removes every partition, isolation and cut endpoint; delay, loss and bandwidth settings stay. */
    public synchronized void healAll() {
        isolated.clear();
        cutEndpoints.clear();
        links.values().forEach(l -> l.partitioned(false));
        relays.values().forEach(r -> r.cut(false));
    }

    /** Regions that appear in any link, in order of first appearance. */
    public synchronized List<String> regions() {
        return List.copyOf(regions);
    }

    /** Per link ("from->to"), sorted by name. */
    public synchronized Map<String, LinkStats> stats() {
        Map<String, LinkStats> stats = new TreeMap<>();
        links.forEach((name, link) -> stats.put(name, link.stats()));
        return stats;
    }

    @Override
    public void close() {
        List<UdpRelay> toClose;
        RelayLoop l;
        DeliveryScheduler s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(relays.values());
            l = loop;
            s = scheduler;
        }
        // Stop reading first so nothing new is scheduled, then stop sending, then free the sockets.
        if (l != null) {
            l.close();
        }
        if (s != null) {
            s.close();
        }
        toClose.forEach(UdpRelay::close);
    }

    public static String linkName(String fromRegion, String toRegion) {
        return fromRegion + "->" + toRegion;
    }

    private long linkSeed(String linkName) {
        // SplitMix64 finaliser: neighbouring seeds and similar names still give unrelated streams.
        long z = seed ^ (linkName.hashCode() * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static InetSocketAddress parseEndpoint(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            throw new IllegalArgumentException("endpoint must be host:port, got '" + endpoint + "'");
        }
        int port;
        try {
            port = Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint must be host:port, got '" + endpoint + "'", e);
        }
        return new InetSocketAddress(endpoint.substring(0, colon), port);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("WAN emulator is closed");
        }
    }
}
