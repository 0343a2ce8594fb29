package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U32;
import static dev.ssexporter.netlink.internal.Layouts.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct inet_diag_hostcond}, the operand of {@code INET_DIAG_BC_S_COND} and
 * {@code INET_DIAG_BC_D_COND} ({@code include/uapi/linux/inet_diag.h}):
 *
 * <pre>
 * struct inet_diag_hostcond {
 *     __u8   family;
 *     __u8   prefix_len;
 *     int    port;
 *     __be32 addr[0];
 * };
 * </pre>
 *
 * {@code port} is host order, {@code -1} for any port. {@code addr} holds 4 bytes for
 * {@code AF_INET} and 16 for {@code AF_INET6}, network order, right after the 8-byte struct. The
 * kernel checks ({@code valid_hostcond}) that the family is one of those (or {@code AF_UNSPEC}
 * with no address) and that {@code prefix_len} does not exceed the address's bits.
 */
public final class InetDiagHostcond {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U8.withName("family"),
            U8.withName("prefix_len"),
            MemoryLayout.paddingLayout(2),
            U32.withName("port")).withName("inet_diag_hostcond");

    /** {@code sizeof(struct inet_diag_hostcond)}: 8, without the address. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle FAMILY = Layouts.handle(LAYOUT, "family");
    public static final VarHandle PREFIX_LEN = Layouts.handle(LAYOUT, "prefix_len");
    public static final VarHandle PORT = Layouts.handle(LAYOUT, "port");
    /** Offset of {@code addr}: the end of the struct. */
    public static final int ADDR_OFFSET = SIZE;
    /** {@code port} meaning any port. */
    public static final int ANY_PORT = -1;

    private InetDiagHostcond() {}
}
