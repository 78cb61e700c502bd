package io.meridian.sim.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free 127.0.0.1 ports for both TCP (Raft) and UDP (Aeron), never handed out twice in one JVM. */
final class LoopbackPorts {

    /** The OS may hand a port that was just closed out again; remembering them avoids two nodes on one port. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {
    }

    static String endpoint() {
        for (int attempt = 0; attempt < 500; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    if (HANDED_OUT.add(port)) {
                        return "127.0.0.1:" + port;
                    }
                } catch (IOException ignored) {
                    // the UDP side is taken: try another port
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free loopback port found");
    }
}
