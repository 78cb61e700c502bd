package io.meridian.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free 127.0.0.1 ports for local clusters (tests, the simulator, the launcher, benchmarks): free for
 * both TCP (Raft) and UDP (Aeron), and never handed out twice in one JVM, because the OS may offer a
 * just-closed port again and two nodes would then share it.
 */
public final class LoopbackPorts {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {
    }

    /** A port free for both TCP and UDP on 127.0.0.1. */
    public static int free() {
        for (int attempt = 0; attempt < 500; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    if (HANDED_OUT.add(port)) {
                        return port;
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

    /** {@code 127.0.0.1:<free port>}. */
    public static String endpoint() {
        return "127.0.0.1:" + free();
    }
}
