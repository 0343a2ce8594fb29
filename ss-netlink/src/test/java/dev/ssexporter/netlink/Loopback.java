package dev.ssexporter.netlink;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * A listening socket and one connection to it over loopback, with some data exchanged both ways,
 * so that the kernel has non-zero {@code data_segs_in/out} to report. NIO channels opened with an
 * explicit {@link StandardProtocolFamily} give real AF_INET sockets (plain java.net sockets are
 * AF_INET6 with mapped addresses).
 */
final class Loopback implements AutoCloseable {
    final AddressFamily serverFamily;
    final ServerSocketChannel server;
    final SocketChannel client;
    final SocketChannel accepted;

    private Loopback(AddressFamily serverFamily, ServerSocketChannel server, SocketChannel client,
                     SocketChannel accepted) {
        this.serverFamily = serverFamily;
        this.server = server;
        this.client = client;
        this.accepted = accepted;
    }

    /**
     * @param serverFamily the listening socket's family
     * @param bind the address it binds, port 0
     * @param clientFamily the connecting socket's family
     * @param connect the address the client connects to
     */
    static Loopback open(ProtocolFamily serverFamily, String bind, ProtocolFamily clientFamily, String connect)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(serverFamily);
        server.bind(new InetSocketAddress(InetAddress.getByName(bind), 0));
        SocketChannel client = SocketChannel.open(clientFamily);
        client.connect(new InetSocketAddress(InetAddress.getByName(connect), server.socket().getLocalPort()));
        SocketChannel accepted = server.accept();
        AddressFamily family = serverFamily == StandardProtocolFamily.INET ? AddressFamily.INET : AddressFamily.INET6;
        Loopback l = new Loopback(family, server, client, accepted);
        l.exchange(3);
        return l;
    }

    static Loopback ipv4() throws IOException {
        return open(StandardProtocolFamily.INET, "127.0.0.1", StandardProtocolFamily.INET, "127.0.0.1");
    }

    static Loopback ipv6() throws IOException {
        return open(StandardProtocolFamily.INET6, "::1", StandardProtocolFamily.INET6, "::1");
    }

    /** A dual-stack IPv6 listener on {@code ::} accepting an IPv4 client: the accepted socket is v4-mapped. */
    static Loopback mapped() throws IOException {
        return open(StandardProtocolFamily.INET6, "::", StandardProtocolFamily.INET, "127.0.0.1");
    }

    int port() {
        return server.socket().getLocalPort();
    }

    int clientPort() {
        return client.socket().getLocalPort();
    }

    /**
     * Whether {@code r} is one of the three sockets of this loopback: the listener, or either end
     * of the connection. Ports alone are not enough: on a busy machine another process's socket
     * (a TIME_WAIT leftover, say) can carry the same port number.
     */
    boolean owns(SocketRecord r) {
        int p = port();
        int c = clientPort();
        return switch (r.state()) {
            case LISTEN -> r.localPort() == p && r.family() == serverFamily;
            case ESTABLISHED -> (r.localPort() == p && r.remotePort() == c) || (r.localPort() == c && r.remotePort() == p);
            default -> false;
        };
    }

    /** The sockets of this loopback among {@code all}. */
    List<SocketRecord> mine(List<SocketRecord> all) {
        return all.stream().filter(this::owns).toList();
    }

    /** Request/response {@code rounds} times, then waits until both sides have read everything. */
    void exchange(int rounds) throws IOException {
        for (int i = 0; i < rounds; i++) {
            send(client, 1000);
            receive(accepted, 1000);
            send(accepted, 100);
            receive(client, 100);
        }
    }

    private static void send(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void receive(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("connection closed early");
            }
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
        accepted.close();
        server.close();
    }
}
