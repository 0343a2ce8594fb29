package dev.ssexporter.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The TCP echo server the end-to-end tests talk to, run as its own process by {@link EchoProcess}
 * so that its pid and command name differ from the test JVM's and the exporter's.
 *
 * <p>Listens on {@code 127.0.0.1} and {@code ::1}, each on a free port, prints
 * {@code READY <ipv4 port> <ipv6 port>} on stdout, then echoes every byte it receives on every
 * connection. It exits when its stdin closes, so it never outlives the test JVM that started it.
 */
public final class EchoServer {
    private EchoServer() {}

    public static void main(String[] args) throws IOException {
        ServerSocket v4 = listen(InetAddress.getByName("127.0.0.1"));
        ServerSocket v6 = listen(InetAddress.getByName("::1"));
        Thread.ofPlatform().daemon().name("accept-v4").start(() -> accept(v4));
        Thread.ofPlatform().daemon().name("accept-v6").start(() -> accept(v6));
        System.out.println("READY " + v4.getLocalPort() + " " + v6.getLocalPort());
        System.out.flush();
        InputStream parent = System.in;
        while (parent.read() >= 0) {
            // Wait for the test JVM to close our stdin (or to die).
        }
        System.exit(0);
    }

    private static ServerSocket listen(InetAddress address) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(address, 0), 128);
        return s;
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
