package dev.ssexporter.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * A client connection from the test JVM to the {@link EchoServer}, kept open until closed. Its two
 * sockets are the client side (owned by the test JVM) and the server side (owned by the echo
 * process); {@link #clientFlow()} and {@link #serverFlow()} are their raw_endpoint labels.
 *
 * <p>{@link #open} makes an {@code AF_INET} socket for an IPv4 server and an {@code AF_INET6} one
 * for IPv6; {@link #openDualStack} makes the JDK's default dual-stack {@code AF_INET6} socket,
 * which talks to an IPv4 server through {@code ::ffff:a.b.c.d} addresses.
 */
final class Connection implements AutoCloseable {
    private static final int TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final Endpoint local;
    private final Endpoint remote;

    private Connection(Socket socket) {
        this.socket = socket;
        this.local = Endpoint.local(socket);
        this.remote = Endpoint.remote(socket);
    }

    /** Connects to {@code server} from an ephemeral port of the default source address. */
    static Connection open(Endpoint server) throws IOException {
        return open(server, null);
    }

    /** Connects to {@code server} from an ephemeral port of {@code source} (e.g. 127.0.0.2), or the default. */
    static Connection open(Endpoint server, InetAddress source) throws IOException {
        StandardProtocolFamily family = server.address() instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        return connect(SocketChannel.open(family).socket(), server, source);
    }

    /** Connects to {@code server} through a dual-stack {@code AF_INET6} socket, the JDK's default. */
    static Connection openDualStack(Endpoint server, InetAddress source) throws IOException {
        return connect(new Socket(), server, source);
    }

    private static Connection connect(Socket s, Endpoint server, InetAddress source) throws IOException {
        try {
            if (source != null) {
                s.bind(new InetSocketAddress(source, 0));
            }
            s.setTcpNoDelay(true);
            s.setSoTimeout(TIMEOUT_MS);
            s.connect(server.socketAddress(), TIMEOUT_MS);
            return new Connection(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Sends {@code messages} messages of 100 bytes, each after the echo of the previous one came
     * back, so each travels as its own data segment in each direction.
     */
    Connection exchange(int messages) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] message = new byte[100];
        byte[] echo = new byte[100];
        for (int i = 0; i < messages; i++) {
            Arrays.fill(message, (byte) i);
            out.write(message);
            out.flush();
            int read = in.readNBytes(echo, 0, echo.length);
            if (read != echo.length || !Arrays.equals(message, echo)) {
                throw new IOException("echo of message " + i + " on " + this + " came back wrong (" + read + " bytes)");
            }
        }
        return this;
    }

    /** The client's end: the test JVM's address and ephemeral port. */
    Endpoint local() {
        return local;
    }

    /** The server's end: where the echo server listens. */
    Endpoint remote() {
        return remote;
    }

    /** The raw_endpoint label of the client-side socket. */
    String clientFlow() {
        return FlowLabel.raw(local, remote);
    }

    /** The raw_endpoint label of the server-side socket (the echo server's accepted socket). */
    String serverFlow() {
        return FlowLabel.raw(remote, local);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return clientFlow();
    }
}
