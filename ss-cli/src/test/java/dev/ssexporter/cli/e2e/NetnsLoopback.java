package dev.ssexporter.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Run inside a network namespace ({@code ip netns exec NAME java ... NetnsLoopback N}): listens on
 * {@code 127.0.0.1}, opens N connections to itself, echoes one byte over each, prints
 * {@code READY PORT} and holds everything open until its standard input closes.
 */
public final class NetnsLoopback {
    private NetnsLoopback() {}

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        List<Socket> open = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < n; i++) {
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept();
                client.getOutputStream().write(i);
                InputStream in = accepted.getInputStream();
                accepted.getOutputStream().write(in.read());
                client.getInputStream().read();
                open.add(client);
                open.add(accepted);
            }
            System.out.println("READY " + server.getLocalPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Hold the connections until the test closes our stdin.
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
