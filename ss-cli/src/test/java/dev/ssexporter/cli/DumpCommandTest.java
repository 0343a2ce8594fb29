package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpExtension;
import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.SocketFilter;
import dev.ssexporter.netlink.TcpState;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DumpCommandTest {
    private final Cli.FixedSource source = new Cli.FixedSource(Fixtures.ALL);

    private DumpQuery onlyQuery() {
        assertThat(source.queries).hasSize(1);
        return source.queries.getFirst();
    }

    @Test
    void asksForConnectedIpv4AndIpv6SocketsByDefault() {
        Cli.Result r = Cli.run(source, "dump");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(onlyQuery()).isEqualTo(DumpQuery.of(EnumSet.allOf(AddressFamily.class), TcpState.connected())
                .withExtensions(EnumSet.of(DumpExtension.INFO, DumpExtension.CONG)));
        assertThat(onlyQuery().states()).doesNotContain(TcpState.LISTEN, TcpState.TIME_WAIT);
        assertThat(onlyQuery().hasFilter()).isFalse();
    }

    @Test
    void jsonAsksForEveryExtension() {
        assertThat(Cli.run(source, "dump", "--json").exitCode()).isZero();
        assertThat(onlyQuery().extensions()).isEqualTo(EnumSet.allOf(DumpExtension.class));
    }

    @Test
    void portsBecomeAKernelFilterOnEitherSide() {
        assertThat(Cli.run(source, "dump", "--port", "8020", "--port", "443", "--port", "8020").exitCode()).isZero();
        assertThat(onlyQuery().filter()).isEqualTo(SocketFilter.anyOf(
                SocketFilter.localPorts(8020, 8020), SocketFilter.remotePorts(8020, 8020),
                SocketFilter.localPorts(443, 443), SocketFilter.remotePorts(443, 443)));
    }

    @Test
    void printsTheTableOfWhatTheKernelSent() {
        Cli.Result r = Cli.run(source, "dump");
        // TIME-WAIT and LISTEN are not asked for by default.
        assertThat(r.out()).isEqualTo("""
                State       Recv-Q  Send-Q  Local Address:Port          Peer Address:Port   RTT ms  Cwnd  Delivery rate  Data segs in/out  Retrans  CC
                ESTAB            0       0      127.0.0.1:8020             127.0.0.1:43908   0.038    10        1.2Gbps             12/15        0  cubic
                ESTAB           17    2048          [::1]:33412  [2001:db8::1:0:0:1]:443    53.376    42        1000bps               3/4        5  bbr
                CLOSE-WAIT       0       0       10.0.0.1:8020         192.168.10.58:39366   1.500    10       12.5Mbps               0/0        0  cubic
                ESTAB            0      36    192.168.1.5:22             192.168.1.9:60000   2.178     7              -               -/-        1  reno
                """);
    }

    @Test
    void allAsksForEveryState() {
        assertThat(Cli.run(source, "dump", "--all").exitCode()).isZero();
        assertThat(Cli.run(source, "dump", "-a").exitCode()).isZero();
        assertThat(source.queries).extracting(DumpQuery::states)
                .containsOnly(EnumSet.allOf(TcpState.class));
    }

    @Test
    void stateIsRepeatableAndTakesSsAndEnumNames() {
        Cli.Result r = Cli.run(source, "dump", "--state", "estab", "--state=time-wait", "--state", "SYN_SENT",
                "--state", "Fin-Wait-1", "--state", "listen");
        assertThat(r.exitCode()).isZero();
        assertThat(onlyQuery().states()).containsExactlyInAnyOrder(TcpState.ESTABLISHED, TcpState.TIME_WAIT,
                TcpState.SYN_SENT, TcpState.FIN_WAIT1, TcpState.LISTEN);
    }

    @Test
    void familyFlagsNarrowTheQuery() {
        Cli.run(source, "dump", "-4");
        Cli.run(source, "dump", "-6");
        Cli.run(source, "dump", "-4", "-6");
        assertThat(source.queries).extracting(DumpQuery::families).containsExactly(
                EnumSet.of(AddressFamily.INET), EnumSet.of(AddressFamily.INET6), EnumSet.allOf(AddressFamily.class));
    }

    @Test
    void portMatchesEitherSideAndIsRepeatable() {
        Cli.Result r = Cli.run(source, "dump", "--json", "-a", "--port", "8020", "--port=443");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(JsonLines.line(Fixtures.IPV4) + "\n" + JsonLines.line(Fixtures.IPV6) + "\n"
                + JsonLines.line(Fixtures.MAPPED) + "\n" + JsonLines.line(Fixtures.TIME_WAIT) + "\n");
    }

    @Test
    void jsonWritesOneObjectPerSocketPerLine() {
        Cli.Result r = Cli.run(source, "dump", "--json", "--state", "estab", "-4");
        assertThat(r.out().lines().toList()).isEqualTo(
                List.of(JsonLines.line(Fixtures.IPV4), JsonLines.line(Fixtures.SHORT_TCP_INFO)));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void nothingSelectedPrintsTheHeaderOrNothing() {
        assertThat(Cli.run(source, "dump", "--port", "1").out()).startsWith("State").hasLineCount(1);
        assertThat(Cli.run(source, "dump", "--json", "--port", "1").out()).isEmpty();
    }

    @Test
    void unknownStateIsAUsageErrorNamingTheAcceptedStates() {
        Cli.Result r = Cli.run(source, "dump", "--state", "established-ish");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("Invalid value for option '--state' (STATE): unknown TCP state 'established-ish'; "
                + "accepted, in any case: estab (established), syn-sent, syn-recv, fin-wait-1 (fin_wait1), "
                + "fin-wait-2 (fin_wait2), time-wait, unconn (close), close-wait, last-ack, listen, closing, "
                + "new-syn-recv, bound-inactive\n");
        assertThat(r.err()).contains("Usage: ss-exporter dump");
        assertThat(source.queries).isEmpty();
    }

    @Test
    void badOptionsAreUsageErrors() {
        for (String[] args : List.of(
                new String[] {"dump", "--port", "65536"},
                new String[] {"dump", "--port", "http"},
                new String[] {"dump", "--bogus"},
                new String[] {"dump", "--all", "--state", "estab"},
                new String[] {"dump", "--state"},
                new String[] {"dump", "extra"})) {
            Cli.Result r = Cli.run(source, args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains("Usage: ss-exporter dump");
            assertThat(r.out()).isEmpty();
        }
        assertThat(Cli.run(source, "dump", "--port", "65536").err())
                .startsWith("Invalid value for option '--port' (PORT): port 65536 is outside 0..65535\n");
        assertThat(Cli.run(source, "dump", "--port", "http").err())
                .startsWith("Invalid value for option '--port' (PORT): 'http' is not a port number (0..65535)\n");
        assertThat(Cli.run(source, "dump", "--all", "--state", "estab").err().lines().findFirst().orElseThrow())
                .contains("--all", "--state=STATE", "are mutually exclusive");
        assertThat(source.queries).isEmpty();
    }

    @Test
    void anUnavailableKernelInterfaceIsOneLineAndExitCode1() {
        source.failure = new DumpCommand.UnavailableException(
                "the kernel lacks NETLINK_SOCK_DIAG (CONFIG_INET_DIAG): socket(...) failed: EPROTONOSUPPORT (errno 93)");
        Cli.Result r = Cli.run(source, "dump");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("ss-exporter: the kernel's TCP socket interface (NETLINK_SOCK_DIAG) is "
                + "unavailable: the kernel lacks NETLINK_SOCK_DIAG (CONFIG_INET_DIAG): socket(...) failed: "
                + "EPROTONOSUPPORT (errno 93)\n");
    }

    @Test
    void aFailedDumpIsOneLineAndExitCode1() {
        source.failure = new ErrnoException("recvmsg(fd=7, NETLINK_SOCK_DIAG)", 105);
        Cli.Result r = Cli.run(source, "dump", "--json");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("ss-exporter: cannot read the TCP sockets from the kernel: recvmsg(fd=7")
                .hasLineCount(1);
    }

    @Test
    void anInterruptedDumpIsNoted() {
        source.interrupted = true;
        Cli.Result r = Cli.run(source, "dump");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEqualTo("ss-exporter: note: the socket table changed during the dump "
                + "(NLM_F_DUMP_INTR), so a socket may be missing or listed twice\n");
    }

    @Test
    void helpListsEveryOption() {
        Cli.Result r = Cli.run(source, "dump", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: ss-exporter dump", "--json", "--state=STATE", "-a, --all", "-4", "-6",
                "--port=PORT", "-h, --help");
        assertThat(Cli.run(source, "help", "dump").out()).isEqualTo(r.out());
    }
}
