package dev.ssexporter.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;

/**
 * The TCP echo server the end-to-end tests talk to, run as its own process by {@link EchoProcess}
 * so that its pid and command name differ from the test JVM's and the exporter's.
 *
 * <p>Listens on three free ports, each its own kind of socket the exporter must handle:
 *
 * <ul>
 *   <li>{@code 127.0.0.1} on an {@code AF_INET} socket;
 *   <li>{@code 127.0.0.1} on an {@code AF_INET6} socket, the JDK's default, which the kernel
 *       reports as {@code ::ffff:127.0.0.1} (IPv4-mapped);
 *   <li>{@code ::1} on an {@code AF_INET6} socket.
 * </ul>
 *
 * <p>It prints {@code READY <ipv4 port> <mapped port> <ipv6 port>} on stdout, then echoes every
 * byte it receives on every connection. It exits when its stdin closes, so it never outlives the
 * test JVM that started it.
 */
public final class EchoServer {
    private EchoServer() {}

    public static void main(String[] args) throws IOException {
        InetAddress loopback4 = InetAddress.getByName("127.0.0.1");
        ServerSocket v4 = ServerSocketChannel.open(StandardProtocolFamily.INET).socket();
        v4.bind(new InetSocketAddress(loopback4, 0), 128);
        ServerSocket mapped = new ServerSocket();
        mapped.bind(new InetSocketAddress(loopback4, 0), 128);
        ServerSocket v6 = new ServerSocket();
        v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0), 128);
        for (ServerSocket s : new ServerSocket[] {v4, mapped, v6}) {
            Thread.ofPlatform().daemon().name("accept-" + s.getLocalPort()).start(() -> accept(s));
        }
        System.out.println("READY " + v4.getLocalPort() + " " + mapped.getLocalPort() + " " + v6.getLocalPort());
        System.out.flush();
        InputStream parent = System.in;
        while (parent.read() >= 0) {
            // Wait for the test JVM to close our stdin (or to die).
        }
        System.exit(0);
    }

    private static void accept(ServerSocket server) {
        while (true) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> echo(s));
            } catch (IOException e) {
                System.err.println("echo: accept failed: " + e);
                return;
            }
        }
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // The client went away; nothing to do.
        }
    }
}
