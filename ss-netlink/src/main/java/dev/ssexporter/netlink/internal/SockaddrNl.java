package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U16;
import static dev.ssexporter.netlink.internal.Layouts.U32;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct sockaddr_nl}, a netlink socket address ({@code include/uapi/linux/netlink.h}):
 *
 * <pre>
 * struct sockaddr_nl {
 *     __kernel_sa_family_t nl_family;  // AF_NETLINK
 *     unsigned short       nl_pad;     // zero
 *     __u32                nl_pid;     // port ID
 *     __u32                nl_groups;  // multicast groups mask
 * };
 * </pre>
 *
 * A port ID of 0 is the kernel.
 */
public final class SockaddrNl {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U16.withName("nl_family"),
            U16.withName("nl_pad"),
            U32.withName("nl_pid"),
            U32.withName("nl_groups")).withName("sockaddr_nl");

    /** {@code sizeof(struct sockaddr_nl)}: 12. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle FAMILY = Layouts.handle(LAYOUT, "nl_family");
    public static final VarHandle PAD = Layouts.handle(LAYOUT, "nl_pad");
    public static final VarHandle PID = Layouts.handle(LAYOUT, "nl_pid");
    public static final VarHandle GROUPS = Layouts.handle(LAYOUT, "nl_groups");

    /** {@code AF_NETLINK}. */
    public static final short AF_NETLINK = 16;

    private SockaddrNl() {}
}
