package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfoField;
import dev.ssexporter.netlink.TcpState;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replays the real dumps under {@code src/test/resources/captures/} (see its README) without a kernel. */
class CaptureReplayTest {

    private static Capture load(String name) throws IOException {
        try (InputStream in = CaptureReplayTest.class.getResourceAsStream("/captures/" + name)) {
            assertThat(in).as("resource captures/%s", name).isNotNull();
            return Capture.read(in);
        }
    }

    /** Parses each datagram as recvmsg returned it; the last one, and only it, ends the dump. */
    private static List<SocketRecord> replay(Capture c) throws Exception {
        InetDiagParser parser = new InetDiagParser();
        List<SocketRecord> records = new ArrayList<>();
        for (int i = 0; i < c.datagrams().size(); i++) {
            byte[] d = c.datagrams().get(i);
            InetDiagParser.Outcome o = parser.parse(MemorySegment.ofArray(d), d.length, c.seq(), c.portId(),
                    c.family(), records::add);
            assertThat(o.done()).as("datagram %d of %d ends the dump", i + 1, c.datagrams().size())
                    .isEqualTo(i == c.datagrams().size() - 1);
            assertThat(o.interrupted()).isFalse();
            assertThat(o.skipped()).isZero();
        }
        return records;
    }

    private static SocketRecord find(List<SocketRecord> records, int localPort, int remotePort) {
        return records.stream().filter(r -> r.localPort() == localPort && r.remotePort() == remotePort)
                .findFirst().orElseThrow(() -> new AssertionError("no socket " + localPort + " -> " + remotePort));
    }

    @Test
    void ipv4Loopback() throws Exception {
        Capture c = load("ipv4-loopback.bin");
        assertThat(c.family()).isEqualTo(AddressFamily.INET);
        assertThat(c.datagrams()).hasSize(2);

        List<SocketRecord> records = replay(c);

        assertThat(records).extracting(SocketRecord::state, SocketRecord::localPort, SocketRecord::remotePort)
                .containsExactly(
                        tuple(TcpState.ESTABLISHED, 32810, 47001),
                        tuple(TcpState.ESTABLISHED, 47001, 32810),
                        tuple(TcpState.ESTABLISHED, 39034, 47003));
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.family()).isEqualTo(AddressFamily.INET);
            assertThat(r.localAddress()).isEqualTo(loopback);
            assertThat(r.remoteAddress()).isEqualTo(loopback);
            assertThat(r.tcpInfo().length()).isEqualTo(280);
            assertThat(r.tcpInfo().get(TcpInfoField.STATE)).isEqualTo(TcpState.ESTABLISHED.code());
            assertThat(r.tcpInfo().get(TcpInfoField.DATA_SEGS_OUT)).isEqualTo(3);
            assertThat(r.tcpInfo().get(TcpInfoField.DATA_SEGS_IN)).isEqualTo(3);
            assertThat(r.inode()).isPositive();
            assertThat(r.congestion()).isNotBlank();
            assertThat(r.memInfo()).isNotNull();
            assertThat(r.skMemInfo().drops()).as("6.18 sends all 9 SK_MEMINFO counters").isNotNegative();
        });
        SocketRecord client = find(records, 32810, 47001);
        assertThat(client.tcpInfo().get(TcpInfoField.BYTES_ACKED)).as("3 x 1000 bytes, +1 for the SYN").isEqualTo(3001);
        assertThat(client.tcpInfo().get(TcpInfoField.BYTES_RECEIVED)).isEqualTo(300);
        assertThat(client.cookie()).isNotEqualTo(find(records, 47001, 32810).cookie());
    }

    @Test
    void ipv6LoopbackWithMappedAndTimeWaitSockets() throws Exception {
        Capture c = load("ipv6-loopback.bin");
        assertThat(c.family()).isEqualTo(AddressFamily.INET6);
        assertThat(c.datagrams()).hasSize(2);

        List<SocketRecord> records = replay(c);

        assertThat(records).extracting(SocketRecord::state, SocketRecord::localPort, SocketRecord::remotePort)
                .containsExactly(
                        tuple(TcpState.LISTEN, 47003, 0),
                        tuple(TcpState.LISTEN, 47002, 0),
                        tuple(TcpState.TIME_WAIT, 47003, 40820),
                        tuple(TcpState.TIME_WAIT, 47002, 40532),
                        tuple(TcpState.ESTABLISHED, 52570, 47002),
                        tuple(TcpState.TIME_WAIT, 52586, 47002),
                        tuple(TcpState.ESTABLISHED, 47002, 52570),
                        tuple(TcpState.ESTABLISHED, 47003, 39034));
        assertThat(records).allSatisfy(r -> assertThat(r.family()).isEqualTo(AddressFamily.INET6));

        assertThat(find(records, 47003, 0).localAddress()).isEqualTo(InetAddress.getByName("::"));
        assertThat(find(records, 47002, 0).localAddress()).isEqualTo(InetAddress.getByName("::1"));

        SocketRecord mapped = find(records, 47003, 39034);
        assertThat(mapped.localAddress()).isInstanceOf(Inet4Address.class).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(mapped.remoteAddress()).isInstanceOf(Inet4Address.class);
        assertThat(mapped.tcpInfo().get(TcpInfoField.DATA_SEGS_IN)).isEqualTo(3);
        SocketRecord mappedTimeWait = find(records, 47003, 40820);
        assertThat(mappedTimeWait.localAddress()).isInstanceOf(Inet4Address.class);

        SocketRecord client = find(records, 52570, 47002);
        assertThat(client.localAddress()).isInstanceOf(Inet6Address.class).isEqualTo(InetAddress.getByName("::1"));
        assertThat(client.tcpInfo().length()).isEqualTo(280);
        assertThat(client.tcpInfo().get(TcpInfoField.DATA_SEGS_OUT)).isEqualTo(3);

        assertThat(records).filteredOn(r -> r.state() == TcpState.TIME_WAIT).hasSize(3).allSatisfy(r -> {
            assertThat(r.tcpInfo()).isNull();
            assertThat(r.congestion()).isNull();
            assertThat(r.memInfo()).isNull();
            assertThat(r.skMemInfo()).isNull();
            assertThat(r.inode()).isZero();
            assertThat(r.timer()).isEqualTo(3);
        });
        assertThat(records).filteredOn(r -> r.state() == TcpState.LISTEN).allSatisfy(r -> {
            assertThat(r.tcpInfo().get(TcpInfoField.STATE)).isEqualTo(TcpState.LISTEN.code());
            assertThat(r.remotePort()).isZero();
        });
    }

    /** The two datagrams of a capture glued into one buffer parse the same: message stepping is right. */
    @Test
    void datagramsConcatenatedParseTheSame() throws Exception {
        Capture c = load("ipv6-loopback.bin");
        byte[] all = Capture.concat(c.datagrams());
        List<SocketRecord> glued = new ArrayList<>();
        InetDiagParser.Outcome o = new InetDiagParser().parse(MemorySegment.ofArray(all), all.length, c.seq(),
                c.portId(), c.family(), glued::add);
        assertThat(o.done()).isTrue();
        assertThat(glued).isEqualTo(replay(c));
    }
}
