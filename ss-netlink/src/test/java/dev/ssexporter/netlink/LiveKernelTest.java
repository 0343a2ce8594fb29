package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ssexporter.netlink.SsCommand.SsSocket;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the real kernel: opens loopback connections, dumps them, and compares with what
 * iproute2's {@code ss} says about the same sockets at the same moment.
 */
class LiveKernelTest {
    private static SockDiagReader reader;
    private static int myUid;

    @BeforeAll
    static void open() throws IOException {
        reader = SockDiagReader.open();
        myUid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    @AfterAll
    static void close() throws IOException {
        reader.close();
    }

    /** The ss line for our record {@code r}: same state and ports. */
    private static SsSocket ssLineFor(List<SsSocket> ss, SocketRecord r) {
        List<SsSocket> m = ss.stream()
                .filter(s -> s.state().equals(r.state().ssName()) && s.localPort() == r.localPort()
                        && s.peerPort() == r.remotePort())
                .toList();
        assertThat(m).as("the ss line of %s %d -> %d in %s", r.state(), r.localPort(), r.remotePort(), ss).hasSize(1);
        return m.getFirst();
    }

    /** What is compared with ss; it must not change between the two ss runs around our dump. */
    private static String comparable(SsSocket s) {
        return s.state() + " " + s.localPort() + " " + s.peerPort() + " " + s.values().get("ino") + " "
                + s.values().get("cwnd") + " " + s.values().get("rtt") + " "
                + s.values().get("data_segs_in") + " " + s.values().get("data_segs_out");
    }

    /** Waits until no connection of {@code l} has unacknowledged segments (a delayed ACK may still fly). */
    private static void awaitQuiet(Loopback l) throws Exception {
        for (int i = 0; i < 200; i++) {
            boolean quiet = l.mine(reader.dumpAll(DumpQuery.all())).stream()
                    .filter(r -> r.state() == TcpState.ESTABLISHED)
                    .allMatch(r -> r.tcpInfo().get(TcpInfoField.UNACKED) == 0);
            if (quiet) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("connections on port " + l.port() + " kept unacknowledged segments for 2 s");
    }

    /**
     * Dumps between two runs of ss and compares socket by socket; returns our records. TCP state
     * moves (a late ACK grows cwnd and updates rtt), so it first waits for quiet connections and
     * retries while the two ss runs disagree with each other about our sockets.
     */
    private static List<SocketRecord> compareWithSs(Loopback l) throws Exception {
        String filter = "sport = :" + l.port() + " or dport = :" + l.port();
        awaitQuiet(l);
        List<SocketRecord> mine = List.of();
        List<SsSocket> theirs = List.of();
        for (int attempt = 0; attempt < 5; attempt++) {
            List<SsSocket> before = SsCommand.run(filter);
            mine = l.mine(reader.dumpAll(DumpQuery.all()));
            List<SsSocket> after = SsCommand.run(filter);
            assertThat(mine).as("listener, accepted and client sockets").hasSize(3);
            List<String> was = new ArrayList<>();
            List<SsSocket> now = new ArrayList<>();
            for (SocketRecord r : mine) {
                was.add(comparable(ssLineFor(before, r)));
                now.add(ssLineFor(after, r));
            }
            theirs = now;
            if (was.equals(now.stream().map(LiveKernelTest::comparable).toList())) {
                break;
            }
            Thread.sleep(100);
        }
        for (int i = 0; i < mine.size(); i++) {
            SocketRecord r = mine.get(i);
            SsSocket s = theirs.get(i);
            assertThat(r.inode()).as("inode of %s", s).isEqualTo(s.number("ino", -1)).isPositive();
            assertThat(r.uid()).as("uid of %s (ss omits uid 0)", s).isEqualTo(s.number("uid", 0)).isEqualTo(myUid);
            assertThat(r.hasTcpInfo()).isTrue();
            TcpInfo info = r.tcpInfo();
            assertThat(info.length()).isGreaterThanOrEqualTo(TcpInfoField.KNOWN_SIZE);
            assertThat(info.get(TcpInfoField.SND_CWND)).as("cwnd of %s", s).isEqualTo(s.number("cwnd", 0));
            assertThat(info.get(TcpInfoField.DATA_SEGS_IN)).as("data_segs_in of %s", s).isEqualTo(s.number("data_segs_in", 0));
            assertThat(info.get(TcpInfoField.DATA_SEGS_OUT)).as("data_segs_out of %s", s).isEqualTo(s.number("data_segs_out", 0));
            assertThat(r.congestion()).as("congestion of %s", s).isNotBlank();
            assertThat(r.memInfo()).isNotNull();
            assertThat(r.skMemInfo()).isNotNull();
            if (r.state() == TcpState.ESTABLISHED) {
                double ours = info.get(TcpInfoField.RTT) / 1000.0;
                assertThat(ours).as("rtt of %s in ms (ss says %s)", s, s.rttMillis()).isCloseTo(s.rttMillis(), within(2.0));
                assertThat(ours).as("loopback rtt").isPositive().isLessThan(50.0);
                // 3 rounds of request (client) and response (accepted socket): data went both ways.
                assertThat(info.get(TcpInfoField.DATA_SEGS_OUT)).isGreaterThanOrEqualTo(3);
                assertThat(info.get(TcpInfoField.DATA_SEGS_IN)).isGreaterThanOrEqualTo(3);
            }
        }
        return mine;
    }

    private static SocketRecord withLocalPort(List<SocketRecord> records, int port, TcpState state) {
        return records.stream().filter(r -> r.localPort() == port && r.state() == state).findFirst().orElseThrow();
    }

    @Test
    void ipv4LoopbackMatchesSs() throws Exception {
        try (Loopback l = Loopback.ipv4()) {
            List<SocketRecord> mine = compareWithSs(l);
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            assertThat(mine).allSatisfy(r -> assertThat(r.family()).isEqualTo(AddressFamily.INET));
            SocketRecord client = withLocalPort(mine, l.clientPort(), TcpState.ESTABLISHED);
            assertThat(client.localAddress()).isEqualTo(loopback);
            assertThat(client.remoteAddress()).isEqualTo(loopback);
            assertThat(client.remotePort()).isEqualTo(l.port());
        }
    }

    @Test
    void ipv6LoopbackMatchesSs() throws Exception {
        try (Loopback l = Loopback.ipv6()) {
            List<SocketRecord> mine = compareWithSs(l);
            InetAddress loopback = InetAddress.getByName("::1");
            assertThat(mine).allSatisfy(r -> {
                assertThat(r.family()).isEqualTo(AddressFamily.INET6);
                assertThat(r.localAddress()).isInstanceOf(Inet6Address.class).isEqualTo(loopback);
            });
            SocketRecord listener = withLocalPort(mine, l.port(), TcpState.LISTEN);
            assertThat(listener.remoteAddress()).isEqualTo(InetAddress.getByName("::"));
            assertThat(listener.remotePort()).isZero();
        }
    }

    /** A dual-stack listener on :: accepting from 127.0.0.1: the accepted socket is AF_INET6 with mapped addresses. */
    @Test
    void v4MappedSocketReportsIpv4AddressesWithFamilyInet6() throws Exception {
        try (Loopback l = Loopback.mapped()) {
            List<SocketRecord> mine = compareWithSs(l);
            InetAddress loopback = InetAddress.getByName("127.0.0.1");

            SocketRecord accepted = withLocalPort(mine, l.port(), TcpState.ESTABLISHED);
            assertThat(accepted.family()).isEqualTo(AddressFamily.INET6);
            assertThat(accepted.localAddress()).isInstanceOf(Inet4Address.class).isEqualTo(loopback);
            assertThat(accepted.remoteAddress()).isInstanceOf(Inet4Address.class).isEqualTo(loopback);
            assertThat(accepted.remotePort()).isEqualTo(l.clientPort());

            SocketRecord client = withLocalPort(mine, l.clientPort(), TcpState.ESTABLISHED);
            assertThat(client.family()).isEqualTo(AddressFamily.INET);

            List<SsSocket> ss = SsCommand.run("sport = :" + l.port() + " and dport = :" + l.clientPort());
            assertThat(ssLineFor(ss, accepted).local()).as("the kernel's own view is IPv6")
                    .isEqualTo("[::ffff:127.0.0.1]:" + l.port());
        }
    }

    @Test
    void familiesStatesAndExtensionsOfTheQueryAreHonoured() throws Exception {
        try (Loopback v4 = Loopback.ipv4(); Loopback v6 = Loopback.ipv6()) {
            DumpQuery q = new DumpQuery(EnumSet.of(AddressFamily.INET), EnumSet.of(TcpState.ESTABLISHED), false);
            List<SocketRecord> all = reader.dumpAll(q);

            assertThat(all).allSatisfy(r -> {
                assertThat(r.family()).isEqualTo(AddressFamily.INET);
                assertThat(r.state()).isEqualTo(TcpState.ESTABLISHED);
                assertThat(r.tcpInfo()).isNull();
                assertThat(r.congestion()).isNull();
                assertThat(r.memInfo()).isNull();
                assertThat(r.skMemInfo()).isNull();
            });
            assertThat(v4.mine(all)).extracting(SocketRecord::localPort)
                    .containsExactlyInAnyOrder(v4.port(), v4.clientPort());
            assertThat(v6.mine(all)).isEmpty();
        }
    }

    @Test
    void statsCountWhatWasDelivered() throws Exception {
        try (Loopback l = Loopback.ipv4()) {
            List<SocketRecord> got = new ArrayList<>();
            DumpStats stats = reader.dump(DumpQuery.all(), got::add);
            assertThat(stats.sockets()).isEqualTo(got.size());
            assertThat(l.mine(got)).hasSize(3);
            // every socket is one message, and the one reply for both families ends with NLMSG_DONE
            assertThat(stats.messages()).isEqualTo(stats.sockets() + 1);
            // at least: per socket nlmsghdr + inet_diag_msg (+ the tcp_info attribute when sent),
            // and NLMSG_DONE's 20 bytes
            long floor = 20 + got.stream()
                    .mapToLong(r -> 16 + 72 + (r.hasTcpInfo() ? 4 + r.tcpInfo().length() : 0))
                    .sum();
            assertThat(stats.bytes()).isGreaterThanOrEqualTo(floor);
        }
    }

    @Test
    void aThrowingSinkFailsThatDumpOnlyAndTheReaderRecovers() throws Exception {
        try (Loopback l = Loopback.ipv4()) {
            assertThatThrownBy(() -> reader.dump(DumpQuery.all(), r -> {
                throw new IllegalStateException("sink gave up");
            })).isInstanceOf(IllegalStateException.class).hasMessage("sink gave up");

            assertThat(l.mine(reader.dumpAll(DumpQuery.all()))).hasSize(3);
        }
    }

    @Test
    void concurrentDumpsOnOneReaderAreSerialized() throws Exception {
        DumpQuery listeners = DumpQuery.of(EnumSet.allOf(AddressFamily.class), EnumSet.of(TcpState.LISTEN));
        try (Loopback l = Loopback.ipv6(); ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int seen = 0;
                    for (int i = 0; i < 10; i++) { // listeners only: cheap for the kernel
                        seen += l.mine(reader.dumpAll(listeners)).size();
                    }
                    return seen;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).as("our listener in each of 10 dumps").isEqualTo(10);
            }
        }
    }
}
