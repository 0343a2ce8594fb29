package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A dump of both families with the IPv6 request on a second socket at the same time: the same
 * sockets as one after the other, IPv4 first, every record on the calling thread, and a sink
 * that fails in the IPv6 half leaves the reader usable. Real kernel, loopback sockets.
 */
class FamiliesAtOnceTest {
    /** More IPv6 sockets than {@link FamilyHandoff#CAPACITY}, so the helper must wait for the caller. */
    private static final int IPV6_CONNECTIONS = FamilyHandoff.CAPACITY;

    /** A listener on {@code ::1} with {@code n} connections to it: 2n + 1 sockets. */
    private static final class ManyIpv6 implements AutoCloseable {
        final ServerSocketChannel server;
        final List<SocketChannel> channels = new ArrayList<>();

        ManyIpv6(int n) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.INET6);
            server.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0), n);
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET6);
                c.connect(server.getLocalAddress());
                channels.add(c);
                channels.add(server.accept());
            }
        }

        int port() {
            return server.socket().getLocalPort();
        }

        boolean owns(SocketRecord r) {
            return r.family() == AddressFamily.INET6 && (r.localPort() == port() || r.remotePort() == port());
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel c : channels) {
                c.close();
            }
            server.close();
        }
    }

    private static String key(SocketRecord r) {
        return r.family() + " " + r.state() + " " + r.localAddress().getHostAddress() + ":" + r.localPort() + " "
                + r.remoteAddress().getHostAddress() + ":" + r.remotePort();
    }

    @Test
    void theSameSocketsAsOneFamilyAfterTheOtherIpv4FirstOnTheCallingThread() throws Exception {
        try (Loopback v4 = Loopback.ipv4(); ManyIpv6 v6 = new ManyIpv6(IPV6_CONNECTIONS);
             SockDiagReader atOnce = SockDiagReader.open(true);
             SockDiagReader oneByOne = SockDiagReader.open(false)) {
            Thread caller = Thread.currentThread();
            List<SocketRecord> got = new ArrayList<>();
            Set<Thread> threads = new HashSet<>();
            DumpStats stats = atOnce.dump(DumpQuery.all(), r -> {
                threads.add(Thread.currentThread());
                if (v4.owns(r) || v6.owns(r)) {
                    got.add(r);
                }
            });
            List<SocketRecord> expected = new ArrayList<>();
            oneByOne.dump(DumpQuery.all(), r -> {
                if (v4.owns(r) || v6.owns(r)) {
                    expected.add(r);
                }
            });

            assertThat(threads).containsExactly(caller);
            assertThat(got.stream().map(FamiliesAtOnceTest::key))
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(FamiliesAtOnceTest::key).toList())
                    .hasSize(3 + 2 * IPV6_CONNECTIONS + 1);
            int lastV4 = -1;
            int firstV6 = got.size();
            for (int i = 0; i < got.size(); i++) {
                if (got.get(i).family() == AddressFamily.INET) {
                    lastV4 = i;
                } else {
                    firstV6 = Math.min(firstV6, i);
                }
            }
            assertThat(lastV4).as("IPv4 records before IPv6 ones").isLessThan(firstV6);
            assertThat(stats.sockets()).isGreaterThanOrEqualTo(got.size());
        }
    }

    @Test
    void aSinkThatFailsInTheIpv6HalfLeavesTheReaderUsable() throws Exception {
        try (Loopback v4 = Loopback.ipv4(); ManyIpv6 v6 = new ManyIpv6(IPV6_CONNECTIONS);
             SockDiagReader reader = SockDiagReader.open(true)) {
            long diag = Fds.sockDiagSockets();  // the reader's first socket is open, its second not yet
            IllegalStateException boom = new IllegalStateException("sink failed");
            assertThatThrownBy(() -> reader.dump(DumpQuery.all(), r -> {
                if (r.family() == AddressFamily.INET6) {
                    throw boom;
                }
            })).isSameAs(boom);
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                    t -> t.getName().equals("ss-exporter-dump-ipv6") && t.isAlive());

            List<SocketRecord> next = reader.dumpAll(DumpQuery.all());
            assertThat(next.stream().filter(v6::owns)).hasSize(2 * IPV6_CONNECTIONS + 1);
            assertThat(v4.mine(next)).hasSize(3);
            assertThat(Fds.sockDiagSockets()).as("the failed dump's two sockets closed, two new ones open")
                    .isEqualTo(diag + 1);
        }
    }
}
