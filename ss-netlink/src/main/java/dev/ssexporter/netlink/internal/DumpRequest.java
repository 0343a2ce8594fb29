package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.AddressFamily;

/**
 * The three dump requests a reader sends for TCP sockets: one per address family
 * ({@code SOCK_DIAG_BY_FAMILY} with an {@link InetDiagReqV2}), or one for both
 * ({@code TCPDIAG_GETSOCK} with an {@link InetDiagReq}).
 *
 * <p>Each request makes the kernel walk its whole table of connections, empty buckets and other
 * namespaces' sockets included, so asking for both families in one request halves that walk. The
 * kernel echoes the request's message type on every socket message of the reply.
 */
public enum DumpRequest {
    /** {@code SOCK_DIAG_BY_FAMILY} for {@code AF_INET}. */
    INET(InetDiagReqV2.SOCK_DIAG_BY_FAMILY, InetDiagReqV2.SIZE, AddressFamily.INET.code(),
            "SOCK_DIAG_BY_FAMILY dump (AF_INET)"),
    /** {@code SOCK_DIAG_BY_FAMILY} for {@code AF_INET6}. */
    INET6(InetDiagReqV2.SOCK_DIAG_BY_FAMILY, InetDiagReqV2.SIZE, AddressFamily.INET6.code(),
            "SOCK_DIAG_BY_FAMILY dump (AF_INET6)"),
    /** {@code TCPDIAG_GETSOCK}: both families in one walk. */
    BOTH_FAMILIES(InetDiagReq.TCPDIAG_GETSOCK, InetDiagReq.SIZE, 0 /* AF_UNSPEC */,
            "TCPDIAG_GETSOCK dump (AF_INET and AF_INET6)");

    private final int messageType;
    private final int payloadSize;
    private final int familyCode;
    private final String description;

    DumpRequest(int messageType, int payloadSize, int familyCode, String description) {
        this.messageType = messageType;
        this.payloadSize = payloadSize;
        this.familyCode = familyCode;
        this.description = description;
    }

    /** The request for one family. */
    public static DumpRequest of(AddressFamily family) {
        return family == AddressFamily.INET ? INET : INET6;
    }

    /** {@code nlmsg_type} of the request and of each socket message in its reply. */
    public int messageType() {
        return messageType;
    }

    /** Bytes of the request struct after the {@code nlmsghdr}, before any filter attribute. */
    public int payloadSize() {
        return payloadSize;
    }

    /** The family byte the request carries first: {@code AF_INET}, {@code AF_INET6} or {@code AF_UNSPEC} (0). */
    public int familyCode() {
        return familyCode;
    }

    /** The request as error messages name it, e.g. {@code SOCK_DIAG_BY_FAMILY dump (AF_INET6)}. */
    public String description() {
        return description;
    }
}
