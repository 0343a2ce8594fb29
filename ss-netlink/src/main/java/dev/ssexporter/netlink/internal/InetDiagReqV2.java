package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U32;
import static dev.ssexporter.netlink.internal.Layouts.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct inet_diag_req_v2}, the payload of a {@code SOCK_DIAG_BY_FAMILY} request
 * ({@code include/uapi/linux/inet_diag.h}):
 *
 * <pre>
 * struct inet_diag_req_v2 {
 *     __u8  sdiag_family;
 *     __u8  sdiag_protocol;
 *     __u8  idiag_ext;
 *     __u8  pad;
 *     __u32 idiag_states;
 *     struct inet_diag_sockid id;
 * };
 * </pre>
 *
 * {@code idiag_ext} asks for attributes: bit {@code (INET_DIAG_X - 1)} requests attribute
 * {@code INET_DIAG_X}. {@code idiag_states} has bit {@code 1 << TCP_STATE} per wanted state. For a
 * dump, {@code id} is ignored and left zero.
 */
public final class InetDiagReqV2 {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U8.withName("sdiag_family"),
            U8.withName("sdiag_protocol"),
            U8.withName("idiag_ext"),
            U8.withName("pad"),
            U32.withName("idiag_states"),
            InetDiagSockId.LAYOUT.withName("id")).withName("inet_diag_req_v2");

    /** {@code sizeof(struct inet_diag_req_v2)}: 56. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle FAMILY = Layouts.handle(LAYOUT, "sdiag_family");
    public static final VarHandle PROTOCOL = Layouts.handle(LAYOUT, "sdiag_protocol");
    public static final VarHandle EXT = Layouts.handle(LAYOUT, "idiag_ext");
    public static final VarHandle PAD = Layouts.handle(LAYOUT, "pad");
    public static final VarHandle STATES = Layouts.handle(LAYOUT, "idiag_states");
    /** Offset of the (ignored, zero) {@code id}. */
    public static final int ID_OFFSET = Layouts.offset(LAYOUT, "id");

    /** {@code SOCK_DIAG_BY_FAMILY} ({@code include/uapi/linux/sock_diag.h}): the message type. */
    public static final short SOCK_DIAG_BY_FAMILY = 20;
    /** {@code IPPROTO_TCP}. */
    public static final byte IPPROTO_TCP = 6;

    /** The {@code idiag_ext} bit requesting attribute {@code type}. */
    public static int extBit(int type) {
        return 1 << (type - 1);
    }

    private InetDiagReqV2() {}
}
