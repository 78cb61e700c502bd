package io.meridian.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * Before a node starts: every address it will listen on must belong to this host. Each one is what
 * the other nodes are told to use (the Raft and Aeron endpoints in the topology, the witness
 * endpoint), or the admin address; a node that advertises an address it cannot bind would otherwise
 * fail deep inside JRaft or Aeron, or bind the wrong interface and never be reached. The wildcard
 * address passes. Each failure is a {@link ConfigException} naming the setting, so {@code meridian
 * node} exits with code 2 before anything starts.
 */
final class BindCheck {

    private final Predicate<InetAddress> local;

    BindCheck(Predicate<InetAddress> local) {
        this.local = local;
    }

    /** Checks against this host's interfaces. */
    static void check(ResolvedConfig config) {
        new BindCheck(BindCheck::isLocal).checkAll(config);
    }

    void checkAll(ResolvedConfig config) {
        String id = config.nodeId();
        if (config.isWitness()) {
            require("witnessEndpoint", "the witness endpoint", config.topology().witnessEndpoint(), id);
        } else {
            io.meridian.ClusterTopology.NodeSpec self = config.topology().node(id).orElseThrow();
            NodeConfig.Bind bind = config.raw().bind;
            if (bind.raft != null && !bind.raft.isBlank()) {
                require("bind.raft", "the Raft bind address", bind.raft, id);
            } else {
                require("topology", "its Raft endpoint", self.raftEndpoint(), id);
            }
            if (bind.aeron != null && !bind.aeron.isBlank()) {
                require("bind.aeron", "the Aeron bind address", bind.aeron, id);
            } else if (self.aeronEndpoint() != null) {
                require("topology", "its Aeron endpoint", self.aeronEndpoint(), id);
            }
        }
        InetSocketAddress admin = config.admin();
        require("adminEndpoint", "its admin address", admin.getHostString() + ":" + admin.getPort(), id);
    }

    private void require(String field, String what, String endpoint, String id) {
        InetSocketAddress parsed = ConfigLoader.hostPort(field, endpoint);
        InetAddress address;
        try {
            address = InetAddress.getByName(parsed.getHostString());
        } catch (UnknownHostException e) {
            throw new ConfigException(field, "node " + id + ": " + what + " " + endpoint + " names a host that does not"
                    + " resolve: " + e.getMessage());
        }
        if (address.isAnyLocalAddress() || local.test(address)) {
            return;
        }
        String verb = field.startsWith("bind.") ? " is to listen on " : " advertises ";
        throw new ConfigException(field, "node " + id + verb + what + " " + endpoint + ", but "
                + address.getHostAddress() + " is not an address of this host (its addresses: "
                + String.join(", ", localAddresses()) + "), so it cannot listen there: check nodeId and the"
                + " endpoints, run the node on the host that owns " + address.getHostAddress() + ", or, if that is"
                + " a NAT or proxy address, set bind.raft / bind.aeron to an address of this host");
    }

    private static boolean isLocal(InetAddress address) {
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static List<String> localAddresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                Collections.list(nic.getInetAddresses()).forEach(a -> out.add(a.getHostAddress()));
            }
        } catch (SocketException e) {
            out.add("unknown: " + e.getMessage());
        }
        return out;
    }
}
