package dev.ssexporter.cli;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.MemInfo;
import dev.ssexporter.netlink.SkMemInfo;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import dev.ssexporter.netlink.TcpState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/** Fixed sockets for the table and JSON tests, one per shape the kernel sends. */
final class Fixtures {
    private Fixtures() {}

    /** IPv4, established, full tcp_info, congestion, both memory attributes. */
    static final SocketRecord IPV4 = new SocketRecord(AddressFamily.INET, TcpState.ESTABLISHED,
            ip("127.0.0.1"), 8020, ip("127.0.0.1"), 43908, 0, 4123L, 98765L, 1000, 0, 0, 2, 0, 89000,
            "cubic", new MemInfo(0, 0, 0, 0), new SkMemInfo(0, 131072, 0, 16384, 0, 0, 0, 0, 0),
            tcpInfo(TcpInfoField.KNOWN_SIZE, Map.of(
                    TcpInfoField.STATE, 1L,
                    TcpInfoField.RTT, 38L,
                    TcpInfoField.RTTVAR, 19L,
                    TcpInfoField.SND_CWND, 10L,
                    TcpInfoField.TOTAL_RETRANS, 0L,
                    TcpInfoField.DATA_SEGS_IN, 12L,
                    TcpInfoField.DATA_SEGS_OUT, 15L,
                    TcpInfoField.DELIVERY_RATE, 150_000_000L)));

    /** IPv6 loopback, bbr, a retransmitting connection, no memory attributes. */
    static final SocketRecord IPV6 = new SocketRecord(AddressFamily.INET6, TcpState.ESTABLISHED,
            ip("::1"), 33412, ip("2001:db8::1:0:0:1"), 443, 0, 7L, 555L, 0, 17, 2048, 1, 3, 204,
            "bbr", null, null,
            tcpInfo(TcpInfoField.KNOWN_SIZE, Map.of(
                    TcpInfoField.STATE, 1L,
                    TcpInfoField.RTT, 53376L,
                    TcpInfoField.SND_CWND, 42L,
                    TcpInfoField.TOTAL_RETRANS, 5L,
                    TcpInfoField.DATA_SEGS_IN, 3L,
                    TcpInfoField.DATA_SEGS_OUT, 4L,
                    TcpInfoField.DELIVERY_RATE, 125L)));

    /** An IPv6 socket talking to an IPv4 peer through a v4-mapped address. */
    static final SocketRecord MAPPED = new SocketRecord(AddressFamily.INET6, TcpState.CLOSE_WAIT,
            ip("::ffff:10.0.0.1"), 8020, ip("::ffff:192.168.10.58"), 39366, 0, 9L, 556L, 0, 0, 0, 0, 0, 0,
            "cubic", null, null,
            tcpInfo(TcpInfoField.KNOWN_SIZE, Map.of(
                    TcpInfoField.RTT, 1500L,
                    TcpInfoField.SND_CWND, 10L,
                    TcpInfoField.DELIVERY_RATE, 1_562_500L)));

    /** TIME_WAIT: no tcp_info, no congestion, no inode. */
    static final SocketRecord TIME_WAIT = new SocketRecord(AddressFamily.INET, TcpState.TIME_WAIT,
            ip("10.0.0.2"), 51000, ip("104.19.199.151"), 443, 0, 11L, 0L, 0, 0, 0, 3, 0, 59000,
            null, null, null, null);

    /** A kernel whose tcp_info ends after tcpi_total_retrans (104 bytes, Linux 3.x). */
    static final SocketRecord SHORT_TCP_INFO = new SocketRecord(AddressFamily.INET, TcpState.ESTABLISHED,
            ip("192.168.1.5"), 22, ip("192.168.1.9"), 60000, 0, 12L, 777L, 0, 0, 36, 2, 0, 7200000,
            "reno", null, new SkMemInfo(0, 87380, 0, 16384, 4096, 0, 0, -1, -1),
            tcpInfo(104, Map.of(
                    TcpInfoField.STATE, 1L,
                    TcpInfoField.RTT, 2178L,
                    TcpInfoField.SND_CWND, 7L,
                    TcpInfoField.TOTAL_RETRANS, 1L)));

    /** A listener bound to interface 3 with the wildcard peer. */
    static final SocketRecord LISTEN_BOUND = new SocketRecord(AddressFamily.INET, TcpState.LISTEN,
            ip("0.0.0.0"), 53, ip("0.0.0.0"), 0, 3, 13L, 888L, 0, 0, 128, 0, 0, 0,
            "cubic", null, null,
            tcpInfo(TcpInfoField.KNOWN_SIZE, Map.of(TcpInfoField.STATE, 10L, TcpInfoField.SND_CWND, 10L)));

    static final List<SocketRecord> ALL = List.of(IPV4, IPV6, MAPPED, TIME_WAIT, SHORT_TCP_INFO, LISTEN_BOUND);

    /** A tcp_info of {@code length} bytes: the given members, every other present member zero. */
    static TcpInfo tcpInfo(int length, Map<TcpInfoField, Long> values) {
        long[] v = new long[TcpInfo.presentCount(length)];
        values.forEach((field, value) -> v[field.ordinal()] = value);
        return TcpInfo.of(length, v);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
