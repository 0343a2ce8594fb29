package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SocketFilterTest {

    private static SocketRecord socket(AddressFamily family, String local, int localPort, String remote, int remotePort) {
        return new SocketRecord(family, TcpState.ESTABLISHED, InetAddress.ofLiteral(local), localPort,
                InetAddress.ofLiteral(remote), remotePort, 0, 1, 1, 0, 0, 0, 0, 0, 0, null, null, null, null);
    }

    private static final SocketRecord V4 = socket(AddressFamily.INET, "10.0.0.1", 40000, "10.1.2.3", 443);
    private static final SocketRecord V6 = socket(AddressFamily.INET6, "fd00::1", 443, "2001:db8::5", 40000);
    /** An AF_INET6 socket with IPv4-mapped addresses, as the reader reports it: Inet4Address, family INET6. */
    private static final SocketRecord MAPPED = socket(AddressFamily.INET6, "::ffff:10.0.0.1", 443,
            "::ffff:10.1.2.3", 40000);

    private static SocketFilter remote(String hex, int prefix) {
        return new SocketFilter.RemoteNetwork(HexFormat.of().parseHex(hex), prefix);
    }

    @Test
    void portsOnEachSide() {
        assertThat(SocketFilter.localPorts(40000, 40000).matches(V4)).isTrue();
        assertThat(SocketFilter.remotePorts(40000, 40000).matches(V4)).isFalse();
        assertThat(SocketFilter.remotePorts(1, 443).matches(V4)).isTrue();
        assertThat(SocketFilter.remotePorts(444, 65535).matches(V4)).isFalse();
    }

    @Test
    void ipv4NetworksMatchIpv4AndMappedAddresses() {
        SocketFilter net = SocketFilter.remoteNetwork(InetAddress.ofLiteral("10.1.0.0"), 16);
        assertThat(net.matches(V4)).isTrue();
        assertThat(net.matches(MAPPED)).isTrue();
        assertThat(net.matches(V6)).isFalse();
        assertThat(remote("00000000", 0).matches(V6)).as("0.0.0.0/0 is not every IPv6 socket").isFalse();
        assertThat(remote("0a010200", 23).matches(V4)).isTrue();   // 10.1.2.0/23 holds 10.1.2.3 ...
        assertThat(remote("0a010000", 23).matches(V4)).isFalse();  // ... 10.1.0.0/23 does not
    }

    @Test
    void ipv6NetworksCompareAllSixteenBytesOfIpv6SocketsOnly() {
        assertThat(remote("20010db8000000000000000000000000", 32).matches(V6)).isTrue();
        assertThat(remote("00000000000000000000000000000000", 0).matches(MAPPED)).as("::/0").isTrue();
        assertThat(remote("00000000000000000000000000000000", 0).matches(V4)).isFalse();
        assertThat(remote("00000000000000000000ffff0a000000", 104).matches(MAPPED)).isTrue();
        assertThat(remote("00000000000000000000ffff0a000000", 104).matches(V4)).as("IPv4 socket").isFalse();
        assertThat(SocketFilter.localNetwork(InetAddress.ofLiteral("fd00::"), 8).matches(V6)).isTrue();
    }

    @Test
    void combinators() {
        SocketFilter https = SocketFilter.anyOf(SocketFilter.localPorts(443, 443), SocketFilter.remotePorts(443, 443));
        assertThat(https.matches(V4)).isTrue();
        assertThat(https.matches(V6)).isTrue();
        assertThat(SocketFilter.allOf(https, SocketFilter.not(remote("0a000000", 8))).matches(V4)).isFalse();
        assertThat(SocketFilter.allOf(https, SocketFilter.not(remote("0a000000", 8))).matches(V6)).isTrue();
        assertThat(SocketFilter.anyOf().matches(V4)).isFalse();
        assertThat(SocketFilter.acceptAll().matches(V4)).isTrue();
        assertThat(SocketFilter.acceptAll()).isEqualTo(SocketFilter.allOf());
    }

    @Test
    void networksAreValuesWithHostBitsCleared() {
        SocketFilter a = SocketFilter.remoteNetwork(InetAddress.ofLiteral("10.20.30.40"), 8);
        assertThat(a).isEqualTo(remote("0a000000", 8)).hasSameHashCodeAs(remote("0a000000", 8));
        assertThat(((SocketFilter.RemoteNetwork) a).address()).containsExactly(10, 0, 0, 0);
        assertThat(((SocketFilter.RemoteNetwork) a).family()).isEqualTo(AddressFamily.INET);
        byte[] given = {10, 1, 2, 3};
        SocketFilter.LocalNetwork n = new SocketFilter.LocalNetwork(given, 32);
        given[0] = 99;
        assertThat(n.address()).as("a defensive copy").containsExactly(10, 1, 2, 3);
    }

    @Test
    void textReadsLikeAnSsExpression() {
        SocketFilter f = SocketFilter.allOf(
                SocketFilter.anyOf(SocketFilter.localPorts(443, 443), SocketFilter.remotePorts(8000, 8099)),
                SocketFilter.not(SocketFilter.remoteNetwork(InetAddress.ofLiteral("fd00::"), 8)),
                SocketFilter.localNetwork(InetAddress.ofLiteral("127.0.0.1"), 32));
        assertThat(f).hasToString("((sport = 443 or dport 8000-8099) and not (dst fd00:0:0:0:0:0:0:0/8)"
                + " and src 127.0.0.1/32)");
        assertThat(SocketFilter.anyOf()).hasToString("false");
        assertThat(SocketFilter.acceptAll()).hasToString("true");
    }

    @Test
    void badValuesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> SocketFilter.localPorts(2000, 1000))
                .hasMessage("port range is inverted: lower 2000 > upper 1000");
        assertThatThrownBy(() -> SocketFilter.remotePorts(0, 65536)).hasMessage("upper port 65536 is outside 0..65535");
        assertThatThrownBy(() -> SocketFilter.remoteNetwork(InetAddress.ofLiteral("10.0.0.0"), 33))
                .hasMessage("prefix length 33 is outside 0..32 for IPv4");
        assertThatThrownBy(() -> new SocketFilter.RemoteNetwork(new byte[5], 8))
                .hasMessage("a network address has 4 or 16 bytes, not 5");
        assertThatThrownBy(() -> SocketFilter.not(null)).hasMessage("filter");
    }

    @Test
    void queriesKeepTheOldShapesWorking() {
        DumpQuery q = DumpQuery.connected();
        assertThat(q.extensions()).isEqualTo(EnumSet.allOf(DumpExtension.class));
        assertThat(q.filter()).isEqualTo(SocketFilter.acceptAll());
        assertThat(q.hasFilter()).isFalse();
        assertThat(new DumpQuery(q.families(), q.states(), false).extensions()).isEmpty();
        assertThat(new DumpQuery(q.families(), q.states(), true)).isEqualTo(q);
        DumpQuery lean = q.withExtensions(EnumSet.of(DumpExtension.INFO)).withFilter(SocketFilter.remotePorts(1, 2));
        assertThat(lean.extensions()).containsExactly(DumpExtension.INFO);
        assertThat(lean.hasFilter()).isTrue();
        assertThat(lean.states()).isEqualTo(q.states());
        assertThat(q.withFilter(SocketFilter.localPorts(0, 65535)).hasFilter()).as("true without a test").isFalse();
    }
}
