package dev.ssexporter.netlink.internal;

/**
 * Reply datagrams for tests outside this package (the scripted kernel of
 * {@code SockDiagReaderFaultTest}), built from the annotated {@link Fixtures}. Every message
 * answers request {@link Fixtures#SEQ} of port {@link Fixtures#PORT_ID}; a scripted transport
 * re-stamps them for the request it actually got.
 */
public final class Replies {
    /** {@code NLM_F_MULTI}. */
    public static final int MULTI = 0x02;
    /** {@code NLM_F_DUMP_INTR}: the socket table changed during the dump. */
    public static final int DUMP_INTR = 0x10;

    private Replies() {}

    /** One datagram of {@code count} bare IPv4 TIME_WAIT sockets, local ports {@code firstPort}, +1, ... */
    public static byte[] timeWaits(int firstPort, int count) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < count; i++) {
            hex.append(Fixtures.bareIpv4TimeWait(firstPort + i));
        }
        return Hex.bytes(hex.toString());
    }

    /** One datagram of the three fixture sockets with attributes: IPv4 established, IPv6 listening, v4-mapped. */
    public static byte[] fixtureSockets() {
        return Hex.bytes(Fixtures.IPV4_ESTABLISHED + Fixtures.IPV6_LISTEN + Fixtures.IPV6_MAPPED);
    }

    /** {@code NLMSG_DONE} with {@code flags} (e.g. {@code MULTI | DUMP_INTR}) and status 0. */
    public static byte[] done(int flags) {
        return Hex.bytes(Fixtures.done(flags, 0));
    }

    /** {@code NLMSG_DONE}, status 0, {@code NLM_F_MULTI}. */
    public static byte[] done() {
        return done(MULTI);
    }

    /** {@code NLMSG_DONE} carrying {@code -errno}: how a dump callback's error ends a dump. */
    public static byte[] doneWithError(int errno) {
        return Hex.bytes(Fixtures.done(MULTI, -errno));
    }

    /** {@code NLMSG_ERROR} with {@code -errno}, echoing the request's header. */
    public static byte[] error(int errno) {
        return Hex.bytes(Fixtures.ERROR_EPERM.replaceFirst("ffffffff", Hex.u32(-errno)));
    }

    /**
     * {@code datagram} as the reply to a {@code TCPDIAG_GETSOCK} request carries it: every
     * {@code SOCK_DIAG_BY_FAMILY} (20) message gets type 18, the type the kernel echoes.
     */
    public static byte[] asTcpDiagGetSock(byte[] datagram) {
        byte[] out = datagram.clone();
        int off = 0;
        while (off + 16 <= out.length) {
            int len = (out[off] & 0xff) | (out[off + 1] & 0xff) << 8 | (out[off + 2] & 0xff) << 16
                    | (out[off + 3] & 0xff) << 24;
            if (len < 16) {
                throw new IllegalArgumentException("nlmsg_len " + len + " at offset " + off);
            }
            if (out[off + 4] == 20 && out[off + 5] == 0) {
                out[off + 4] = 18;
            }
            off += (len + 3) & ~3;
        }
        return out;
    }

    /** {@code NLMSG_ERROR} -EOPNOTSUPP for a {@code TCPDIAG_GETSOCK} request: a kernel without that request. */
    public static byte[] tcpDiagGetSockRefused() {
        return Hex.bytes(Fixtures.ERROR_EOPNOTSUPP_TCPDIAG);
    }

    /** {@code a} followed by {@code b}: several messages in one datagram. */
    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
