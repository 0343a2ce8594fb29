package dev.ssexporter.netlink.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct msghdr}, the argument of {@code recvmsg(2)} (glibc {@code bits/socket.h}), LP64:
 *
 * <pre>
 * struct msghdr {
 *     void         *msg_name;        // sender address (here a sockaddr_nl)
 *     socklen_t     msg_namelen;     // its size
 *     // 4 bytes of padding
 *     struct iovec *msg_iov;         // the buffers
 *     size_t        msg_iovlen;      // how many
 *     void         *msg_control;     // ancillary data, unused
 *     size_t        msg_controllen;
 *     int           msg_flags;       // out: MSG_TRUNC when the datagram did not fit
 *     // 4 bytes of padding
 * };
 * </pre>
 *
 * It lives only in native memory we allocate, so it uses the platform's aligned layouts.
 */
public final class MsgHdr {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("msg_name"),
            ValueLayout.JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("msg_iov"),
            ValueLayout.JAVA_LONG.withName("msg_iovlen"),
            ValueLayout.ADDRESS.withName("msg_control"),
            ValueLayout.JAVA_LONG.withName("msg_controllen"),
            ValueLayout.JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4)).withName("msghdr");

    /** {@code sizeof(struct msghdr)}: 56. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle NAME = Layouts.handle(LAYOUT, "msg_name");
    public static final VarHandle NAMELEN = Layouts.handle(LAYOUT, "msg_namelen");
    public static final VarHandle IOV = Layouts.handle(LAYOUT, "msg_iov");
    public static final VarHandle IOVLEN = Layouts.handle(LAYOUT, "msg_iovlen");
    public static final VarHandle CONTROL = Layouts.handle(LAYOUT, "msg_control");
    public static final VarHandle CONTROLLEN = Layouts.handle(LAYOUT, "msg_controllen");
    public static final VarHandle FLAGS = Layouts.handle(LAYOUT, "msg_flags");

    /** {@code MSG_TRUNC}: in flags, report the datagram's real length; in msg_flags, it was cut. */
    public static final int MSG_TRUNC = 0x20;

    private MsgHdr() {}
}
