package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U16;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The attribute header that follows a {@code struct inet_diag_msg}: {@code struct rtattr}
 * ({@code include/uapi/linux/rtnetlink.h}), the same bytes as {@code struct nlattr}
 * ({@code include/uapi/linux/netlink.h}):
 *
 * <pre>
 * struct rtattr {
 *     unsigned short rta_len;   // header + payload, without trailing padding
 *     unsigned short rta_type;
 * };
 * </pre>
 *
 * Attributes start at 4-byte ({@code RTA_ALIGNTO}) boundaries. The top two type bits are the
 * {@code NLA_F_NESTED} and {@code NLA_F_NET_BYTEORDER} flags, masked off by {@link #TYPE_MASK}.
 */
public final class RtAttr {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U16.withName("rta_len"),
            U16.withName("rta_type")).withName("rtattr");

    /** {@code sizeof(struct rtattr)}: 4. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle LEN = Layouts.handle(LAYOUT, "rta_len");
    public static final VarHandle TYPE = Layouts.handle(LAYOUT, "rta_type");

    /** {@code NLA_TYPE_MASK}: the type without the nested and byte-order flags. */
    public static final int TYPE_MASK = ~((1 << 15) | (1 << 14)) & 0xffff;

    private RtAttr() {}

    /** {@code RTA_ALIGN(len)}: {@code len} rounded up to a multiple of 4. */
    public static long align(long len) {
        return (len + 3) & ~3L;
    }
}
