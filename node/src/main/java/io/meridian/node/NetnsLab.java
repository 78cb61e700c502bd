package io.meridian.node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every node on its own host: one Linux network namespace per node (named {@code <prefix><node>}),
 * plus an {@code ops} namespace for the operator's tools, all wired to bridges in a {@code hub}
 * namespace by veth pairs. Three networks, as on real machines:
 * <ul>
 *   <li>{@code lan} (10.77.1R.0/24 for region {@code rR}): the region's Raft traffic;</li>
 *   <li>{@code wan} (10.77.1.0/24): Aeron between regions and the witness;</li>
 *   <li>{@code mgmt} (10.77.2.0/24): the admin API, reached from {@code ops}.</li>
 * </ul>
 * Host {@code N} of a network is 10*(R+1)+n for node {@code rR-n}, 100 for the witness, 200 for ops.
 * Nothing is created in the root namespace and no namespace has a default route or an uplink, so no
 * packet can leave the machine. Faults are link states on the hub's side of a veth (the node sees
 * its carrier drop): a region cut from the others, or one node cut from its region or from the rest.
 * {@link #close()} kills what runs inside and deletes every namespace; a JVM shutdown hook does the
 * same when a run is interrupted, and {@link #cleanStale} removes what a killed run left behind.
 */
public final class NetnsLab implements LocalCluster.ClusterAddresses, AutoCloseable {

    public static final int RAFT_PORT = 7001;
    public static final int AERON_PORT = 8001;
    public static final int ADMIN_PORT = 9101;
    public static final String OPS = "ops";
    /** Test runs are named {@code mrd<pid>-...}: stale once that pid is gone. */
    private static final Pattern RUN_PREFIX = Pattern.compile("mrd(?:probe)?(\\d+)(-.*)?");

    private final String prefix;
    private final String hub;
    /** Node id to the region it belongs to ("" for the witness and ops). */
    private final Map<String, String> hosts = new LinkedHashMap<>();
    private final List<String> regions = new ArrayList<>();
    private final Thread reaper = new Thread(this::destroyQuietly, "netns-lab-reaper");

    private NetnsLab(String prefix) {
        this.prefix = prefix;
        this.hub = prefix + "hub";
    }

    /** The prefix of a test run's namespaces: unique to this JVM, and recognisably stale once it exits. */
    public static String runPrefix() {
        return "mrd" + ProcessHandle.current().pid() + "-";
    }

    /**
     * Builds the lab: {@code regions} regions {@code r0..} of {@code nodesPerRegion} nodes, a witness if
     * asked, and the ops host. On failure, whatever was created is removed again. With {@code owned},
     * a shutdown hook of this JVM removes the lab if {@link #close()} was not called (tests); without,
     * the lab outlives this JVM ({@code meridian up --netns}) until {@link #destroyAll} removes it.
     */
    public static NetnsLab create(String prefix, int regions, int nodesPerRegion, boolean witness, boolean owned)
            throws IOException {
        NetnsLab lab = describe(prefix, regions, nodesPerRegion, witness);
        if (owned) {
            Runtime.getRuntime().addShutdownHook(lab.reaper);
        }
        try {
            lab.build();
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** The lab's names and addresses only, creating nothing (for a lab another process created). */
    public static NetnsLab describe(String prefix, int regionCount, int nodesPerRegion, boolean witness) {
        if (regionCount < 1 || regionCount > 8 || nodesPerRegion < 1 || nodesPerRegion > 9) {
            throw new IllegalArgumentException("regions must be in 1..8 and nodes per region in 1..9");
        }
        NetnsLab lab = new NetnsLab(prefix);
        for (int r = 0; r < regionCount; r++) {
            lab.regions.add("r" + r);
            for (int n = 1; n <= nodesPerRegion; n++) {
                lab.hosts.put("r" + r + "-" + n, "r" + r);
            }
        }
        if (witness) {
            lab.hosts.put(io.meridian.Witness.NAME, "");
        }
        lab.hosts.put(OPS, "");
        return lab;
    }

    /** Whether this lab's namespaces exist (its hub, at least). */
    public boolean exists() throws IOException {
        return Netns.list().contains(hub);
    }

    private void build() throws IOException {
        Netns.ip("netns", "add", hub);
        Netns.in(hub, "link", "set", "lo", "up");
        for (int r = 0; r < regions.size(); r++) {
            bridge("brlan" + r);
        }
        bridge("brwan");
        bridge("brmgmt");
        for (Map.Entry<String, String> h : hosts.entrySet()) {
            String id = h.getKey();
            String ns = ns(id);
            Netns.ip("netns", "add", ns);
            Netns.in(ns, "link", "set", "lo", "up");
            if (!h.getValue().isEmpty()) {
                veth(id, "lan", "brlan" + h.getValue().substring(1), lan(id));
            }
            if (!id.equals(OPS)) {
                veth(id, "wan", "brwan", wan(id));
            }
            veth(id, "mgmt", "brmgmt", mgmt(id));
        }
    }

    private void bridge(String name) throws IOException {
        Netns.in(hub, "link", "add", name, "type", "bridge");
        Netns.in(hub, "link", "set", name, "up");
    }

    /** A veth pair: {@code name} inside the host's namespace with {@code address}/24, its peer on a hub bridge. */
    private void veth(String id, String name, String bridge, String address) throws IOException {
        String ns = ns(id);
        String peer = hubLink(id, name);
        Netns.ip("link", "add", name, "netns", ns, "type", "veth", "peer", "name", peer, "netns", hub);
        Netns.in(hub, "link", "set", peer, "master", bridge);
        Netns.in(hub, "link", "set", peer, "up");
        Netns.in(ns, "addr", "add", address + "/24", "dev", name);
        Netns.in(ns, "link", "set", name, "up");
    }

    /** The hub's end of a host's link (interface names are at most 15 characters). */
    private static String hubLink(String id, String name) {
        String base = id.equals(io.meridian.Witness.NAME) ? "wit" : id;
        return base + "-" + name.charAt(0);
    }

    public String ns(String id) {
        return prefix + id;
    }

    /** Node ids (the witness included, ops excluded), in creation order. */
    public List<String> nodes() {
        return hosts.keySet().stream().filter(id -> !id.equals(OPS)).toList();
    }

    public List<String> regions() {
        return List.copyOf(regions);
    }

    private int hostNumber(String id) {
        if (id.equals(OPS)) {
            return 200;
        }
        if (id.equals(io.meridian.Witness.NAME)) {
            return 100;
        }
        Matcher m = Pattern.compile("r(\\d)-(\\d)").matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a lab node id: " + id);
        }
        return 10 * (Integer.parseInt(m.group(1)) + 1) + Integer.parseInt(m.group(2));
    }

    public String lan(String id) {
        return "10.77." + (10 + Integer.parseInt(hosts.get(id).substring(1))) + "." + hostNumber(id);
    }

    public String wan(String id) {
        return "10.77.1." + hostNumber(id);
    }

    public String mgmt(String id) {
        return "10.77.2." + hostNumber(id);
    }

    public String raftEndpoint(String id) {
        return lan(id) + ":" + RAFT_PORT;
    }

    public String aeronEndpoint(String id) {
        return wan(id) + ":" + AERON_PORT;
    }

    public String adminEndpoint(String id) {
        return mgmt(id) + ":" + ADMIN_PORT;
    }

    @Override
    public String raft(String id) {
        return raftEndpoint(id);
    }

    @Override
    public String aeron(String id) {
        return aeronEndpoint(id);
    }

    @Override
    public String admin(String id) {
        return adminEndpoint(id);
    }

    /** The command prefix that runs a program on host {@code id}. */
    public List<String> execPrefix(String id) {
        return Netns.execPrefix(ns(id));
    }

    /** Cuts a region off the WAN: it keeps its own Raft network, but reaches neither the other regions nor the witness. */
    public void cutRegion(String region) throws IOException {
        for (Map.Entry<String, String> h : hosts.entrySet()) {
            if (h.getValue().equals(region)) {
                link(h.getKey(), "wan", false);
            }
        }
    }

    /** Cuts one node off its region's Raft network (it still reaches the other regions). */
    public void isolateFromRegion(String id) throws IOException {
        link(id, "lan", false);
    }

    /** Cuts one node off the other regions and the witness (it still reaches its region). */
    public void isolateFromOthers(String id) throws IOException {
        link(id, "wan", false);
    }

    /** Brings every lan and wan link back up. */
    public void heal() throws IOException {
        for (Map.Entry<String, String> h : hosts.entrySet()) {
            if (h.getKey().equals(OPS)) {
                continue;
            }
            if (!h.getValue().isEmpty()) {
                link(h.getKey(), "lan", true);
            }
            link(h.getKey(), "wan", true);
        }
    }

    private void link(String id, String name, boolean up) throws IOException {
        Netns.in(hub, "link", "set", hubLink(id, name), up ? "up" : "down");
    }

    /** Routes of a host, for checking that nothing leads out of the lab. */
    public String routes(String id) throws IOException {
        return Netns.in(ns(id), "route", "show", "table", "all");
    }

    /**
     * Deletes the namespaces of earlier test runs whose JVM is gone (killed before its teardown ran),
     * with whatever still runs inside them. Other live runs' namespaces are left alone.
     */
    public static List<String> cleanStale() throws IOException {
        List<String> removed = new ArrayList<>();
        for (String ns : Netns.list()) {
            Matcher m = RUN_PREFIX.matcher(ns);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            if (m.matches()) {
                Netns.destroy(ns);
                removed.add(ns);
            }
        }
        return removed;
    }

    /** Deletes every namespace whose name starts with {@code prefix} (what {@code meridian down --netns} does). */
    public static List<String> destroyAll(String prefix) throws IOException {
        List<String> removed = new ArrayList<>();
        for (String ns : Netns.list()) {
            if (ns.startsWith(prefix)) {
                Netns.destroy(ns);
                removed.add(ns);
            }
        }
        return removed;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run
        }
        destroyQuietly();
    }

    private void destroyQuietly() {
        try {
            // Processes are killed with their namespace; the hub (bridges) goes last.
            destroyAll(prefix);
        } catch (IOException e) {
            System.err.println("netns lab " + prefix + ": teardown failed: " + e.getMessage());
        }
    }
}
