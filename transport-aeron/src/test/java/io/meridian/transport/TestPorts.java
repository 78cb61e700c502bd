package io.meridian.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

/** Free UDP ports on 127.0.0.1, each handed out at most once per JVM. */
final class TestPorts {

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private TestPorts() {
    }

    static synchronized String nextEndpoint() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (DatagramSocket socket = new DatagramSocket(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (HANDED_OUT.add(port)) {
                return "127.0.0.1:" + port;
            }
        }
        throw new IllegalStateException("no fresh free UDP port found");
    }
}
