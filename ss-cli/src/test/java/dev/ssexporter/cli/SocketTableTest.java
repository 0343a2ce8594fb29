package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class SocketTableTest {

    private static String table(List<SocketRecord> sockets) {
        StringWriter sw = new StringWriter();
        SocketTable.print(sockets, index -> "if" + index, new PrintWriter(sw));
        return sw.toString();
    }

    @Test
    void alignsEveryShapeTheKernelSends() {
        // IPv4 with full tcp_info; IPv6 in brackets; v4-mapped shown as IPv4; TIME_WAIT without
        // tcp_info; a 104-byte tcp_info without delivery rate and data segments; a listener bound
        // to interface 3 with the wildcard peer port.
        assertThat(table(Fixtures.ALL)).isEqualTo("""
                State       Recv-Q  Send-Q  Local Address:Port          Peer Address:Port   RTT ms  Cwnd  Delivery rate  Data segs in/out  Retrans  CC
                ESTAB            0       0      127.0.0.1:8020             127.0.0.1:43908   0.038    10        1.2Gbps             12/15        0  cubic
                ESTAB           17    2048          [::1]:33412  [2001:db8::1:0:0:1]:443    53.376    42        1000bps               3/4        5  bbr
                CLOSE-WAIT       0       0       10.0.0.1:8020         192.168.10.58:39366   1.500    10       12.5Mbps               0/0        0  cubic
                TIME-WAIT        0       0       10.0.0.2:51000       104.19.199.151:443         -     -              -               -/-        -  -
                ESTAB            0      36    192.168.1.5:22             192.168.1.9:60000   2.178     7              -               -/-        1  reno
                LISTEN           0     128    0.0.0.0%if3:53                 0.0.0.0:*       0.000    10           0bps               0/0        0  cubic
                """);
    }

    @Test
    void printsTheHeaderAloneWhenThereAreNoSockets() {
        assertThat(table(List.of())).isEqualTo(
                "State  Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  RTT ms  Cwnd  Delivery rate"
                        + "  Data segs in/out  Retrans  CC\n");
    }

    @Test
    void neverPrintsControlCharacters() {
        SocketRecord odd = new SocketRecord(AddressFamily.INET, TcpState.ESTABLISHED, Fixtures.ip("10.0.0.1"), 1,
                Fixtures.ip("10.0.0.2"), 2, 0, 1L, 1L, 0, 0, 0, 0, 0, 0, "x\u001b[2J\0\n", null, null, null);
        assertThat(table(List.of(odd)).lines().toList().get(1))
                .isEqualTo("ESTAB       0       0       10.0.0.1:1         10.0.0.2:2          -     -              -"
                        + "               -/-        -  x?[2J??");
    }

    @Test
    void printsRatesInBitsPerSecondLikeSs() {
        assertThat(SocketTable.bitsPerSecond(0)).isEqualTo("0bps");
        assertThat(SocketTable.bitsPerSecond(125)).isEqualTo("1000bps");
        assertThat(SocketTable.bitsPerSecond(126)).isEqualTo("1.0Kbps");
        assertThat(SocketTable.bitsPerSecond(150_000)).isEqualTo("1.2Mbps");
        assertThat(SocketTable.bitsPerSecond(1_250_000_000L)).isEqualTo("10.0Gbps");
        assertThat(SocketTable.bitsPerSecond(-1)).isEqualTo("147573952589.7Gbps");
    }

    @Test
    void printsRttInMillisecondsWithThreeDecimals() {
        assertThat(SocketTable.millis(38)).isEqualTo("0.038");
        assertThat(SocketTable.millis(120_324)).isEqualTo("120.324");
        assertThat(SocketTable.millis(0)).isEqualTo("0.000");
    }

    @Test
    void bracketsIpv6HostsOnly() {
        assertThat(SocketTable.host(Fixtures.ip("::1"))).isEqualTo("[::1]");
        assertThat(SocketTable.host(Fixtures.ip("fe80::1"))).isEqualTo("[fe80::1]");
        assertThat(SocketTable.host(Fixtures.ip("::ffff:127.0.0.1"))).isEqualTo("127.0.0.1");
        assertThat(SocketTable.host(Fixtures.ip("10.1.2.3"))).isEqualTo("10.1.2.3");
        assertThat(SocketTable.port(0)).isEqualTo("*");
        assertThat(SocketTable.port(65535)).isEqualTo("65535");
    }
}
