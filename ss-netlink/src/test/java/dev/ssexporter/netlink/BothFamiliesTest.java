package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both families in one {@code TCPDIAG_GETSOCK} request, against the real kernel: the same sockets,
 * with the same attributes, as one {@code SOCK_DIAG_BY_FAMILY} request per family, filtered or
 * not, from one reply ending in one {@code NLMSG_DONE}. Loopback sockets of both families and a
 * v4-mapped one.
 */
class BothFamiliesTest {

    /** What identifies a socket and what its attributes say that does not move between two dumps. */
    private static String key(SocketRecord r) {
        return r.family() + " " + r.state() + " " + r.localAddress().getHostAddress() + ":" + r.localPort() + " "
                + r.remoteAddress().getHostAddress() + ":" + r.remotePort() + " inode=" + r.inode()
                + " cookie=" + r.cookie() + " tcp_info=" + r.hasTcpInfo() + " cong=" + r.congestion()
                + " meminfo=" + (r.memInfo() != null) + " skmeminfo=" + (r.skMemInfo() != null)
                + " data_segs_out=" + (r.hasTcpInfo() ? r.tcpInfo().find(TcpInfoField.DATA_SEGS_OUT) : "-");
    }

    private record Dump(List<String> keys, DumpStats stats) {}

    private static Dump dump(SockDiagReader reader, DumpQuery query, List<Loopback> loopbacks) throws Exception {
        List<String> keys = new ArrayList<>();
        DumpStats stats = reader.dump(query, r -> {
            if (loopbacks.stream().anyMatch(l -> l.owns(r))) {
                keys.add(key(r));
            }
        });
        return new Dump(keys, stats);
    }

    @Test
    void oneRequestListsWhatOnePerFamilyLists() throws Exception {
        try (Loopback v4 = Loopback.ipv4(); Loopback v6 = Loopback.ipv6(); Loopback mapped = Loopback.mapped();
             SockDiagReader one = SockDiagReader.open(true);
             SockDiagReader perFamily = SockDiagReader.open(false)) {
            List<Loopback> all = List.of(v4, v6, mapped);
            Dump got = dump(one, DumpQuery.all(), all);
            Dump expected = dump(perFamily, DumpQuery.all(), all);

            assertThat(got.keys()).hasSize(9).containsExactlyInAnyOrderElementsOf(expected.keys());
            assertThat(got.keys()).anyMatch(k -> k.startsWith("INET ESTABLISHED 127.0.0.1:"))
                    .anyMatch(k -> k.startsWith("INET6 ESTABLISHED 0:0:0:0:0:0:0:1:"))
                    .anyMatch(k -> k.startsWith("INET6 LISTEN 0:0:0:0:0:0:0:0:" + mapped.port() + " "))
                    .allMatch(k -> k.contains("tcp_info=true"));
            // every socket is one message; one reply ends with one NLMSG_DONE, two with two
            assertThat(got.stats().messages()).isEqualTo(got.stats().sockets() + 1);
            assertThat(expected.stats().messages()).isEqualTo(expected.stats().sockets() + 2);
        }
    }

    @Test
    void aFilterRunsInTheOneRequestToo() throws Exception {
        try (Loopback v4 = Loopback.ipv4(); Loopback v6 = Loopback.ipv6(); Loopback other = Loopback.ipv4();
             SockDiagReader one = SockDiagReader.open(true);
             SockDiagReader perFamily = SockDiagReader.open(false)) {
            SocketFilter filter = SocketFilter.anyOf(
                    SocketFilter.localPorts(v4.port(), v4.port()), SocketFilter.remotePorts(v4.port(), v4.port()),
                    SocketFilter.localNetwork(InetAddress.getByName("::1"), 128));
            DumpQuery query = DumpQuery.all().withFilter(filter);
            List<Loopback> all = List.of(v4, v6, other);
            Dump got = dump(one, query, all);
            Dump expected = dump(perFamily, query, all);

            assertThat(got.keys()).hasSize(6).containsExactlyInAnyOrderElementsOf(expected.keys());
            assertThat(got.stats().messages()).as("one reply").isEqualTo(got.stats().sockets() + 1);
            assertThat(expected.stats().messages()).isEqualTo(expected.stats().sockets() + 2);
            List<SocketRecord> delivered = one.dumpAll(query);
            assertThat(delivered).as("the kernel dropped what the filter rejects").allMatch(filter::matches)
                    .noneMatch(other::owns);
            assertThat(v4.mine(delivered)).hasSize(3);
        }
    }

    @Test
    void aQueryForOneFamilyGetsOnlyThatFamily() throws Exception {
        try (Loopback v4 = Loopback.ipv4(); Loopback v6 = Loopback.ipv6(); SockDiagReader one = SockDiagReader.open(true)) {
            List<SocketRecord> got = one.dumpAll(DumpQuery.of(EnumSet.of(AddressFamily.INET6),
                    EnumSet.allOf(TcpState.class)));
            assertThat(got).isNotEmpty().allMatch(r -> r.family() == AddressFamily.INET6);
            assertThat(v6.mine(got)).hasSize(3);
            assertThat(v4.mine(got)).isEmpty();
        }
    }

    @Test
    void aSinkThatFailsLeavesTheReaderUsableOnOneSocket() throws Exception {
        try (Loopback v4 = Loopback.ipv4(); Loopback v6 = Loopback.ipv6(); SockDiagReader reader = SockDiagReader.open(true)) {
            long diag = Fds.sockDiagSockets();
            IllegalStateException boom = new IllegalStateException("sink failed");
            assertThatThrownBy(() -> reader.dump(DumpQuery.all(), r -> {
                if (v6.owns(r)) {
                    throw boom;
                }
            })).isSameAs(boom);

            List<SocketRecord> next = reader.dumpAll(DumpQuery.all());
            assertThat(v4.mine(next)).hasSize(3);
            assertThat(v6.mine(next)).hasSize(3);
            assertThat(Fds.sockDiagSockets()).as("the failed dump's socket closed, one new one open").isEqualTo(diag);
        }
    }
}
