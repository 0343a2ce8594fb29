package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kernel-side filters against the real kernel: a set of loopback connections from several
 * source addresses, dumped with a filter, must come back exactly as the unfiltered dump filtered
 * in Java with {@link SocketFilter#matches} does, and exactly as counted by hand.
 *
 * <p>The sockets: an IPv4 server on 127.0.0.1 with clients bound to 127.0.0.2, .3 and .4; an IPv6
 * server on ::1 with one ::1 client; a dual-stack server on {@code ::} with an IPv4 client from
 * 127.0.0.5, whose accepted socket is AF_INET6 with the mapped peer {@code ::ffff:127.0.0.5}.
 */
class LiveFilterTest {
    private static final Set<TcpState> STATES = EnumSet.of(TcpState.ESTABLISHED, TcpState.LISTEN);
    private static final DumpQuery UNFILTERED =
            DumpQuery.of(EnumSet.allOf(AddressFamily.class), STATES).withExtensions(EnumSet.noneOf(DumpExtension.class));

    private static final List<AutoCloseable> open = new ArrayList<>();
    private static SockDiagReader reader;
    private static ServerSocketChannel v4Server;
    private static ServerSocketChannel v6Server;
    private static ServerSocketChannel dualServer;
    /** "localPort remotePort" of each of our sockets; a listener has remote port 0. */
    private static final Set<String> ours = new HashSet<>();

    @BeforeAll
    static void connect() throws IOException {
        reader = SockDiagReader.open();
        v4Server = listen(StandardProtocolFamily.INET, "127.0.0.1");
        for (String source : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
            connect(StandardProtocolFamily.INET, source, v4Server, "127.0.0.1");
        }
        v6Server = listen(StandardProtocolFamily.INET6, "::1");
        connect(StandardProtocolFamily.INET6, "::1", v6Server, "::1");
        dualServer = listen(StandardProtocolFamily.INET6, "::");
        connect(StandardProtocolFamily.INET, "127.0.0.5", dualServer, "127.0.0.1");
    }

    private static ServerSocketChannel listen(ProtocolFamily family, String address) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(family);
        open.add(s);
        s.bind(new InetSocketAddress(InetAddress.ofLiteral(address), 0));
        ours.add(s.socket().getLocalPort() + " 0");
        return s;
    }

    private static void connect(ProtocolFamily family, String source, ServerSocketChannel server, String target)
            throws IOException {
        SocketChannel c = SocketChannel.open(family);
        open.add(c);
        c.bind(new InetSocketAddress(InetAddress.ofLiteral(source), 0));
        c.connect(new InetSocketAddress(InetAddress.ofLiteral(target), server.socket().getLocalPort()));
        open.add(server.accept());
        int client = c.socket().getLocalPort();
        int port = server.socket().getLocalPort();
        ours.add(client + " " + port);
        ours.add(port + " " + client);
    }

    @AfterAll
    static void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        reader.close();
    }

    private static boolean isOurs(SocketRecord r) {
        return ours.contains(r.localPort() + " " + r.remotePort());
    }

    private static String text(SocketRecord r) {
        return r.family() + " " + r.state() + " " + r.localAddress().getHostAddress() + ":" + r.localPort() + " -> "
                + r.remoteAddress().getHostAddress() + ":" + r.remotePort();
    }

    /**
     * Dumps our sockets with {@code filter} in the kernel, checks them against the unfiltered dump
     * filtered in Java, and returns them as text.
     */
    private static List<String> filtered(SocketFilter filter) throws IOException {
        List<String> inKernel = reader.dumpAll(UNFILTERED.withFilter(filter)).stream()
                .filter(LiveFilterTest::isOurs).map(LiveFilterTest::text).sorted().toList();
        List<SocketRecord> all = reader.dumpAll(UNFILTERED).stream().filter(LiveFilterTest::isOurs).toList();
        assertThat(all).as("our sockets, unfiltered").hasSize(ours.size());
        List<String> inJava = all.stream().filter(filter::matches).map(LiveFilterTest::text).sorted().toList();
        assertThat(inKernel).as("kernel vs Java for %s", filter).isEqualTo(inJava);
        return inKernel;
    }

    private static int port(ServerSocketChannel s) {
        return s.socket().getLocalPort();
    }

    private static SocketFilter remote(String network, int prefix) {
        return SocketFilter.remoteNetwork(InetAddress.ofLiteral(network), prefix);
    }

    @Test
    void localPortRangeSelectsTheServerSide() throws IOException {
        int p = port(v4Server);
        assertThat(filtered(SocketFilter.localPorts(p, p))).hasSize(4) // the listener and 3 accepted
                .allSatisfy(s -> assertThat(s).startsWith("INET ").contains("127.0.0.1:" + p + " -> "));
    }

    @Test
    void remotePortRangeSelectsTheClientSide() throws IOException {
        int p = port(v4Server);
        assertThat(filtered(SocketFilter.remotePorts(p, p))).hasSize(3)
                .allSatisfy(s -> assertThat(s).endsWith(" -> 127.0.0.1:" + p));
    }

    @Test
    void eitherSide() throws IOException {
        int p = port(v4Server);
        int q = port(v6Server);
        assertThat(filtered(SocketFilter.anyOf(SocketFilter.localPorts(p, p), SocketFilter.remotePorts(p, p))))
                .hasSize(7);
        // Two ranges, each on either side: the IPv4 server's 7 sockets and the IPv6 server's 3.
        int lo = Math.min(p, q);
        int hi = Math.max(p, q);
        SocketFilter both = SocketFilter.allOf(
                SocketFilter.anyOf(SocketFilter.localPorts(lo, hi), SocketFilter.remotePorts(lo, hi)),
                SocketFilter.anyOf(SocketFilter.localPorts(p, p), SocketFilter.remotePorts(p, p),
                        SocketFilter.localPorts(q, q), SocketFilter.remotePorts(q, q)));
        assertThat(filtered(both)).hasSize(10);
    }

    @Test
    void ipv4NetworkInclude() throws IOException {
        assertThat(filtered(remote("127.0.0.2", 32))).containsExactly(
                "INET ESTABLISHED 127.0.0.1:" + port(v4Server) + " -> 127.0.0.2:" + clientPortFrom("127.0.0.2"));
        // 127.0.0.2/31 holds .2 and .3; the IPv6 and mapped sockets are outside it
        assertThat(filtered(remote("127.0.0.2", 31))).hasSize(2);
        assertThat(filtered(SocketFilter.localNetwork(InetAddress.ofLiteral("127.0.0.3"), 32))).hasSize(1)
                .allSatisfy(s -> assertThat(s).contains(" 127.0.0.3:"));
    }

    private static int clientPortFrom(String source) throws IOException {
        return reader.dumpAll(UNFILTERED).stream().filter(LiveFilterTest::isOurs)
                .filter(r -> r.localAddress().getHostAddress().equals(source)).findFirst().orElseThrow().localPort();
    }

    @Test
    void networkExcludeWithNot() throws IOException {
        int p = port(v4Server);
        SocketFilter f = SocketFilter.allOf(SocketFilter.localPorts(p, p), SocketFilter.not(remote("127.0.0.2", 31)));
        // the listener (peer 0.0.0.0) and the connection from 127.0.0.4
        assertThat(filtered(f)).hasSize(2)
                .anySatisfy(s -> assertThat(s).contains("LISTEN"))
                .anySatisfy(s -> assertThat(s).contains(" -> 127.0.0.4:"));
    }

    @Test
    void ipv6Network() throws IOException {
        List<String> got = filtered(remote("::1", 128));
        assertThat(got).hasSize(2).allSatisfy(s -> assertThat(s).startsWith("INET6 ESTABLISHED 0:0:0:0:0:0:0:1:"));
        // ::/0 matches every IPv6 socket, the mapped ones too, and no IPv4 socket
        List<String> all6 = filtered(remote("::", 0));
        assertThat(all6).hasSize(5).allSatisfy(s -> assertThat(s).startsWith("INET6 "));
        assertThat(all6).anySatisfy(s -> assertThat(s).contains("-> 127.0.0.5:"));
    }

    @Test
    void ipv4NetworkMatchesAMappedPeerOnAnIpv6Socket() throws IOException {
        List<String> got = filtered(remote("127.0.0.5", 32));
        // the client is AF_INET; the socket the dual-stack server accepted is AF_INET6 with peer ::ffff:127.0.0.5
        assertThat(got).containsExactly(
                "INET6 ESTABLISHED 127.0.0.1:" + port(dualServer) + " -> 127.0.0.5:" + clientPortFrom("127.0.0.5"));
        // and not a mapped peer outside the network
        assertThat(filtered(SocketFilter.allOf(SocketFilter.localPorts(port(dualServer), port(dualServer)),
                remote("127.0.0.2", 31)))).isEmpty();
    }

    @Test
    void nothingAndEverything() throws IOException {
        assertThat(filtered(SocketFilter.anyOf())).isEmpty();
        assertThat(filtered(SocketFilter.not(SocketFilter.anyOf()))).hasSize(ours.size());
        assertThat(filtered(SocketFilter.acceptAll())).hasSize(ours.size());
    }

    @Test
    void filteredDumpsStillCarryTheRequestedExtensionsOnly() throws IOException {
        int p = port(v4Server);
        List<SocketRecord> got = reader.dumpAll(DumpQuery.of(EnumSet.of(AddressFamily.INET), STATES)
                .withExtensions(EnumSet.of(DumpExtension.INFO))
                .withFilter(SocketFilter.remotePorts(p, p)))
                .stream().filter(LiveFilterTest::isOurs).sorted(Comparator.comparing(SocketRecord::localPort)).toList();
        assertThat(got).hasSize(3).allSatisfy(r -> {
            assertThat(r.tcpInfo()).isNotNull();
            assertThat(r.congestion()).isNull();
            assertThat(r.memInfo()).isNull();
            assertThat(r.skMemInfo()).isNull();
        });
    }
}
