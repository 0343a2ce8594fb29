package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.BE16;
import static dev.ssexporter.netlink.internal.Layouts.BE32;
import static dev.ssexporter.netlink.internal.Layouts.U32;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct inet_diag_sockid}, a socket's identity ({@code include/uapi/linux/inet_diag.h}):
 *
 * <pre>
 * struct inet_diag_sockid {
 *     __be16 idiag_sport;
 *     __be16 idiag_dport;
 *     __be32 idiag_src[4];
 *     __be32 idiag_dst[4];
 *     __u32  idiag_if;
 *     __u32  idiag_cookie[2];
 * #define INET_DIAG_NOCOOKIE (~0U)
 * };
 * </pre>
 *
 * Ports and addresses are in network order. An IPv4 socket's address is the first 4 bytes of its
 * 16-byte array. The cookie is the kernel's 64-bit socket cookie, low word first.
 */
public final class InetDiagSockId {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            BE16.withName("idiag_sport"),
            BE16.withName("idiag_dport"),
            MemoryLayout.sequenceLayout(4, BE32).withName("idiag_src"),
            MemoryLayout.sequenceLayout(4, BE32).withName("idiag_dst"),
            U32.withName("idiag_if"),
            MemoryLayout.sequenceLayout(2, U32).withName("idiag_cookie")).withName("inet_diag_sockid");

    /** {@code sizeof(struct inet_diag_sockid)}: 48. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle SPORT = Layouts.handle(LAYOUT, "idiag_sport");
    public static final VarHandle DPORT = Layouts.handle(LAYOUT, "idiag_dport");
    /** Coordinates {@code (MemorySegment, long base, long index)}, index 0..3. */
    public static final VarHandle SRC = indexed("idiag_src");
    /** Coordinates {@code (MemorySegment, long base, long index)}, index 0..3. */
    public static final VarHandle DST = indexed("idiag_dst");
    public static final VarHandle IF = Layouts.handle(LAYOUT, "idiag_if");
    /** Coordinates {@code (MemorySegment, long base, long index)}, index 0 (low) or 1 (high). */
    public static final VarHandle COOKIE = indexed("idiag_cookie");

    /** Offset of {@code idiag_src}, for copying the address bytes out. */
    public static final int SRC_OFFSET = Layouts.offset(LAYOUT, "idiag_src");
    /** Offset of {@code idiag_dst}, for copying the address bytes out. */
    public static final int DST_OFFSET = Layouts.offset(LAYOUT, "idiag_dst");
    /** Bytes of each address array. */
    public static final int ADDRESS_BYTES = 16;

    private InetDiagSockId() {}

    private static VarHandle indexed(String name) {
        return LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(name),
                MemoryLayout.PathElement.sequenceElement()).withInvokeExactBehavior();
    }
}
