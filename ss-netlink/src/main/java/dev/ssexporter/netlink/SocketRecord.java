package dev.ssexporter.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One TCP socket as the kernel's inet_diag reported it: {@code struct inet_diag_msg} plus the
 * attributes that followed it.
 *
 * <p>Addresses are {@link java.net.Inet4Address} for IPv4 sockets and for IPv6 sockets whose
 * address is IPv4-mapped ({@code ::ffff:a.b.c.d}), and {@link java.net.Inet6Address} otherwise. The
 * {@link #family()} stays the socket's own, so an IPv6 socket with a mapped peer is still
 * {@link AddressFamily#INET6}.
 *
 * @param family the socket's address family
 * @param state the TCP state
 * @param localAddress the local ("source") address
 * @param localPort the local port, 0..65535
 * @param remoteAddress the remote ("destination", "peer") address
 * @param remotePort the remote port, 0..65535
 * @param interfaceIndex the bound interface ({@code id.idiag_if}), 0 if none
 * @param cookie the kernel's socket cookie ({@code id.idiag_cookie}), unique while the socket lives
 * @param inode the socket inode, 0 for sockets without a file (TIME_WAIT, SYN_RECV)
 * @param uid the owner's user id
 * @param rqueue {@code idiag_rqueue}: bytes not yet read; for LISTEN, the accept queue length
 * @param wqueue {@code idiag_wqueue}: bytes not yet acknowledged; for LISTEN, the backlog
 * @param timer {@code idiag_timer}: 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero window probe
 * @param retrans {@code idiag_retrans}: retransmits or probes of the pending timer
 * @param expiresMillis {@code idiag_expires}: milliseconds until the timer fires
 * @param congestion the congestion control algorithm ({@code INET_DIAG_CONG}), or null when not sent
 * @param memInfo {@code INET_DIAG_MEMINFO}, or null when not sent
 * @param skMemInfo {@code INET_DIAG_SKMEMINFO}, or null when not sent
 * @param tcpInfo {@code INET_DIAG_INFO}, or null when not sent (TIME_WAIT and request sockets)
 */
public record SocketRecord(
        AddressFamily family,
        TcpState state,
        InetAddress localAddress,
        int localPort,
        InetAddress remoteAddress,
        int remotePort,
        int interfaceIndex,
        long cookie,
        long inode,
        int uid,
        long rqueue,
        long wqueue,
        int timer,
        int retrans,
        long expiresMillis,
        String congestion,
        MemInfo memInfo,
        SkMemInfo skMemInfo,
        TcpInfo tcpInfo) {

    public SocketRecord {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        checkPort("localPort", localPort);
        checkPort("remotePort", remotePort);
        if (family == AddressFamily.INET
                && (!(localAddress instanceof Inet4Address) || !(remoteAddress instanceof Inet4Address))) {
            throw new IllegalArgumentException("an AF_INET socket needs IPv4 addresses, got "
                    + localAddress + " and " + remoteAddress);
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " " + port + " is outside 0..65535");
        }
    }

    /** Whether the kernel sent a {@code tcp_info} for this socket. */
    public boolean hasTcpInfo() {
        return tcpInfo != null;
    }
}
