package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.NetlinkException;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfoField;
import dev.ssexporter.netlink.TcpState;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Records real kernel replies into {@code src/test/resources/captures/} for
 * {@link CaptureReplayTest}. Not a test: run it by hand on a Linux machine, from the module
 * directory after {@code mvn test-compile}:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED \
 *     -cp target/classes:target/test-classes \
 *     dev.ssexporter.netlink.internal.CaptureDumps src/test/resources/captures
 * </pre>
 *
 * It opens loopback sockets on fixed ports ({@value #V4_PORT}, {@value #V6_PORT},
 * {@value #DUAL_PORT}), dumps, and keeps a dump only when every socket in it is one of its own, so
 * that no other process's socket ends up in the repository. For the same reason the IPv4 dump asks
 * for the {@linkplain TcpState#connected() connected} states only: build machines have IPv4
 * listeners and TIME_WAIT leftovers of other tests; the IPv6 dump asks for every state.
 */
public final class CaptureDumps {
    static final int V4_PORT = 47001;
    static final int V6_PORT = 47002;
    static final int DUAL_PORT = 47003;
    private static final Set<Integer> PORTS = Set.of(V4_PORT, V6_PORT, DUAL_PORT);

    private CaptureDumps() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/captures");
        Files.createDirectories(dir);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            ServerSocketChannel v4 = listen(StandardProtocolFamily.INET, "127.0.0.1", V4_PORT, open);
            ServerSocketChannel v6 = listen(StandardProtocolFamily.INET6, "::1", V6_PORT, open);
            ServerSocketChannel dual = listen(StandardProtocolFamily.INET6, "::", DUAL_PORT, open);
            connect(v4, StandardProtocolFamily.INET, "127.0.0.1", open);
            connect(v6, StandardProtocolFamily.INET6, "::1", open);
            connect(dual, StandardProtocolFamily.INET, "127.0.0.1", open);
            // A connection the client closes first: its socket lingers in TIME_WAIT.
            List<AutoCloseable> shortLived = new ArrayList<>();
            SocketChannel[] pair = connect(v6, StandardProtocolFamily.INET6, "::1", shortLived);
            pair[0].close();
            pair[1].close();
            Thread.sleep(200);

            int connected = TcpState.mask(TcpState.connected());
            int all = TcpState.mask(EnumSet.allOf(TcpState.class));
            write(dir.resolve("ipv4-loopback.bin"), capture(AddressFamily.INET, connected));
            write(dir.resolve("ipv6-loopback.bin"), capture(AddressFamily.INET6, all));
        } finally {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
        }
    }

    private static ServerSocketChannel listen(ProtocolFamily family, String address, int port,
                                              List<AutoCloseable> open) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(family);
        open.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        return s;
    }

    /** Connects, then 3 rounds of 1000 bytes out and 100 back; returns {client, accepted}. */
    private static SocketChannel[] connect(ServerSocketChannel server, ProtocolFamily family, String address,
                                           List<AutoCloseable> open) throws IOException {
        SocketChannel client = SocketChannel.open(family);
        open.add(client);
        client.connect(new InetSocketAddress(InetAddress.getByName(address), server.socket().getLocalPort()));
        SocketChannel accepted = server.accept();
        open.add(accepted);
        for (int i = 0; i < 3; i++) {
            client.write(ByteBuffer.allocate(1000));
            accepted.read(ByteBuffer.allocate(1000));
            accepted.write(ByteBuffer.allocate(100));
            client.read(ByteBuffer.allocate(100));
        }
        return new SocketChannel[] {client, accepted};
    }

    private static Capture capture(AddressFamily family, int stateMask) throws Exception {
        for (int attempt = 1; attempt <= 20; attempt++) {
            Capture c = captureOnce(family, stateMask);
            List<SocketRecord> records = decode(c);
            boolean onlyOurs = records.stream()
                    .allMatch(r -> PORTS.contains(r.localPort()) || PORTS.contains(r.remotePort()));
            if (onlyOurs) {
                System.out.println(family + ": " + c.datagrams().size() + " datagrams, seq " + c.seq()
                        + ", port id " + c.portId());
                for (SocketRecord r : records) {
                    System.out.println("  " + r.state().ssName() + " " + r.localAddress().getHostAddress() + ":"
                            + r.localPort() + " -> " + r.remoteAddress().getHostAddress() + ":" + r.remotePort()
                            + " tcp_info=" + (r.hasTcpInfo() ? r.tcpInfo().length() + "B data_segs_out="
                            + r.tcpInfo().get(TcpInfoField.DATA_SEGS_OUT) : "none"));
                }
                return c;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("other processes' sockets kept showing up in the " + family + " dump");
    }

    private static Capture captureOnce(AddressFamily family, int stateMask) throws NetlinkException {
        try (NetlinkSocket socket = NetlinkSocket.open(); Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(RequestEncoder.SIZE);
            MemorySegment buffer = arena.allocate(InetDiagDumper.RECEIVE_BUFFER_BYTES);
            int seq = new RequestEncoder(1).encode(request, family, stateMask, RequestEncoder.ALL_EXTENSIONS);
            socket.send(request);
            InetDiagParser parser = new InetDiagParser();
            List<byte[]> datagrams = new ArrayList<>();
            while (true) {
                int n = socket.receive(buffer);
                datagrams.add(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                if (parser.parse(buffer, n, seq, socket.portId(), family, r -> { }).done()) {
                    return new Capture(family, seq, socket.portId(), datagrams);
                }
            }
        }
    }

    static List<SocketRecord> decode(Capture c) throws NetlinkException {
        InetDiagParser parser = new InetDiagParser();
        List<SocketRecord> records = new ArrayList<>();
        for (byte[] d : c.datagrams()) {
            parser.parse(MemorySegment.ofArray(d), d.length, c.seq(), c.portId(), c.family(), records::add);
        }
        return records;
    }

    private static void write(Path file, Capture c) throws IOException {
        Files.write(file, c.toBytes());
        System.out.println("wrote " + file + " (" + Files.size(file) + " bytes)");
    }
}
