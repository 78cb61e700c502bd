package io.meridian;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free loopback ports, never the same one twice in a JVM (the OS may hand a just-closed port out again). */
public final class Ports {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** A port free for both TCP and UDP on 127.0.0.1. */
    public static int free() {
        for (int attempt = 0; attempt < 200; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    if (HANDED_OUT.add(port)) {
                        return port;
                    }
                } catch (IOException ignored) {
                    // UDP side taken: try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free loopback port found");
    }

    public static String endpoint() {
        return "127.0.0.1:" + free();
    }
}
