package io.meridian.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TCP from the root namespace to addresses that exist only inside a lab namespace, without giving
 * the root namespace a route or an address there: a relay process runs inside the ops namespace
 * ({@link #main}) and listens on a Unix socket, whose path is visible to every namespace; the tunnel
 * listens on 127.0.0.1 for each target and hands every connection to the relay, preceded by one line
 * {@code host:port}. Admin API traffic of tests and of {@code meridian up --netns} goes this way; an
 * operator runs {@code ip netns exec <ops> meridian ctl ...} instead.
 */
public final class NetnsTunnel implements AutoCloseable {

    private final Path socket;
    private final Process relay;
    private final Map<String, ServerSocketChannel> listeners = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private NetnsTunnel(Path socket, Process relay) {
        this.socket = socket;
        this.relay = relay;
    }

    /** Starts the relay with {@code execPrefix} (e.g. {@code ip netns exec <ops>}) and waits for its socket. */
    public static NetnsTunnel start(List<String> execPrefix, Path socket, Path log) throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        List<String> command = new java.util.ArrayList<>(execPrefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m",
                "-cp", LocalCluster.absoluteClassPath(), NetnsTunnel.class.getName(), socket.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("the netns relay did not start (see " + log + ")");
            }
            Thread.sleep(50);
        }
        return new NetnsTunnel(socket, p);
    }

    /** A loopback address whose connections reach {@code target} ({@code host:port}) from inside the lab. */
    public String forward(String target) {
        ServerSocketChannel s = listeners.computeIfAbsent(target, t -> {
            try {
                ServerSocketChannel server = ServerSocketChannel.open()
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                Thread accept = new Thread(() -> acceptLoop(server, t), "tunnel-" + t);
                accept.setDaemon(true);
                accept.start();
                return server;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return "127.0.0.1:" + s.socket().getLocalPort();
    }

    private void acceptLoop(ServerSocketChannel server, String target) {
        while (!closed && server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                try {
                    client.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                    SocketChannel up = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                    up.write(ByteBuffer.wrap((target + "\n").getBytes(StandardCharsets.US_ASCII)));
                    pump(client, up);
                    pump(up, client);
                } catch (IOException e) {
                    closeQuietly(client);
                }
            } catch (IOException e) {
                // closed: the loop ends
            }
        }
    }

    /**
     * Copies until either side ends, then closes both. Channels, not their stream adapters: a JDK 17
     * socket channel's input and output streams share one lock, so they cannot run full duplex.
     */
    private static void pump(SocketChannel in, SocketChannel out) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            try {
                while (in.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        out.write(buf);
                    }
                    buf.clear();
                }
            } catch (IOException ignored) {
                // the other side closed
            } finally {
                closeQuietly(in);
                closeQuietly(out);
            }
        }, "tunnel-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        listeners.values().forEach(NetnsTunnel::closeQuietly);
        relay.destroyForcibly();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // a stale socket file is replaced on the next start
        }
    }

    /** The relay, inside the ops namespace: {@code NetnsTunnel SOCKET}. */
    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[0]);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            // Only its creator (root, who runs the lab) may use it.
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            while (true) {
                SocketChannel client = server.accept();
                Thread t = new Thread(() -> relay(client), "relay");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void relay(SocketChannel client) {
        try {
            // One byte at a time up to the newline: whatever follows it belongs to the connection.
            ByteBuffer one = ByteBuffer.allocate(1);
            StringBuilder target = new StringBuilder();
            while (true) {
                one.clear();
                if (client.read(one) < 0 || target.length() > 300) {
                    client.close();
                    return;
                }
                char c = (char) one.get(0);
                if (c == '\n') {
                    break;
                }
                target.append(c);
            }
            InetSocketAddress address = ConfigLoader.hostPort("target", target.toString());
            SocketChannel out = SocketChannel.open(new InetSocketAddress(address.getHostString(), address.getPort()));
            // Each read is forwarded as it comes: Nagle would hold a small write for the peer's delayed ACK.
            out.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            pump(client, out);
            pump(out, client);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
        }
    }
}
