package io.meridian.sim.wan;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/** A blocking test client that sends to one address and reads replies with a timeout. */
final class UdpClient implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress to;

    UdpClient(String relayAddress) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setReceiveBufferSize(4 * 1024 * 1024);
        int colon = relayAddress.lastIndexOf(':');
        to = new InetSocketAddress(relayAddress.substring(0, colon), Integer.parseInt(relayAddress.substring(colon + 1)));
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void send(byte[] data) throws IOException {
        socket.send(new DatagramPacket(data, data.length, to));
    }

    /** The next reply, or null when none arrives within {@code timeoutMillis}. */
    DatagramPacket receive(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buf = new byte[65_536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
            return p;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
