package dev.ssexporter.core.selection;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import dev.ssexporter.netlink.TcpState;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Builds {@link SocketRecord}s for tests: {@code TestSocket.of("10.0.0.1", 40000, "10.0.0.2",
 * 443).inode(7).rtt(1500, 10).build()}. Shared by the selection, folding and engine tests.
 */
public final class TestSocket {
    private final InetAddress local;
    private final int localPort;
    private final InetAddress remote;
    private final int remotePort;
    private AddressFamily family;
    private TcpState state = TcpState.ESTABLISHED;
    private long inode;
    private long cookie;
    private long rqueue;
    private long wqueue;
    private TcpInfo tcpInfo;

    private TestSocket(String local, int localPort, String remote, int remotePort) {
        this.local = InetAddress.ofLiteral(local);
        this.localPort = localPort;
        this.remote = InetAddress.ofLiteral(remote);
        this.remotePort = remotePort;
        this.family = this.local instanceof Inet4Address && this.remote instanceof Inet4Address
                ? AddressFamily.INET : AddressFamily.INET6;
    }

    /** A socket; IPv4 family when both literals are IPv4 (or IPv4-mapped), else IPv6. */
    public static TestSocket of(String local, int localPort, String remote, int remotePort) {
        return new TestSocket(local, localPort, remote, remotePort);
    }

    /** Forces the family, e.g. INET6 for a dual-stack socket whose peer is IPv4-mapped. */
    public TestSocket family(AddressFamily f) {
        this.family = f;
        return this;
    }

    public TestSocket state(TcpState s) {
        this.state = s;
        return this;
    }

    public TestSocket inode(long i) {
        this.inode = i;
        return this;
    }

    /** A full-length tcp_info with the given rtt (µs) and cwnd, other members 0. */
    public TestSocket rtt(long rttMicros, long cwnd) {
        return info(fullInfo(rttMicros, cwnd, 0, 0, 0));
    }

    /** The socket cookie; without one, the inode (or 1). */
    public TestSocket cookie(long c) {
        this.cookie = c;
        return this;
    }

    /** {@code idiag_rqueue} and {@code idiag_wqueue}: on a LISTEN socket, accept queue and backlog. */
    public TestSocket queues(long r, long w) {
        this.rqueue = r;
        this.wqueue = w;
        return this;
    }

    public TestSocket info(TcpInfo info) {
        this.tcpInfo = info;
        return this;
    }

    public SocketRecord build() {
        return new SocketRecord(family, state, local, localPort, remote, remotePort, 0,
                cookie != 0 ? cookie : inode == 0 ? 1 : inode,
                inode, 1000, rqueue, wqueue, 0, 0, 0, "cubic", null, null, tcpInfo);
    }

    /** A tcp_info of {@link TcpInfoField#KNOWN_SIZE} bytes with the given members, others 0. */
    public static TcpInfo fullInfo(long rttMicros, long cwnd, long deliveryRate, long dataSegsIn, long dataSegsOut) {
        long[] v = new long[TcpInfo.presentCount(TcpInfoField.KNOWN_SIZE)];
        v[TcpInfoField.RTT.ordinal()] = rttMicros;
        v[TcpInfoField.SND_CWND.ordinal()] = cwnd;
        v[TcpInfoField.DELIVERY_RATE.ordinal()] = deliveryRate;
        v[TcpInfoField.DATA_SEGS_IN.ordinal()] = dataSegsIn;
        v[TcpInfoField.DATA_SEGS_OUT.ordinal()] = dataSegsOut;
        return TcpInfo.of(TcpInfoField.KNOWN_SIZE, v);
    }

    /** A tcp_info of a 104-byte (Linux 3.x) struct: rtt and cwnd, no delivery rate or data segments. */
    public static TcpInfo shortInfo(long rttMicros, long cwnd) {
        long[] v = new long[TcpInfo.presentCount(104)];
        v[TcpInfoField.RTT.ordinal()] = rttMicros;
        v[TcpInfoField.SND_CWND.ordinal()] = cwnd;
        return TcpInfo.of(104, v);
    }
}
