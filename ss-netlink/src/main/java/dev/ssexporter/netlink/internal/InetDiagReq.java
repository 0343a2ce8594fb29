package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U32;
import static dev.ssexporter.netlink.internal.Layouts.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct inet_diag_req}, the payload of the original {@code TCPDIAG_GETSOCK} request
 * ({@code include/uapi/linux/inet_diag.h}), which the kernel still answers:
 *
 * <pre>
 * struct inet_diag_req {
 *     __u8  idiag_family;
 *     __u8  idiag_src_len;
 *     __u8  idiag_dst_len;
 *     __u8  idiag_ext;
 *     struct inet_diag_sockid id;
 *     __u32 idiag_states;
 *     __u32 idiag_dbs;
 * };
 * </pre>
 *
 * For a dump the kernel ignores {@code idiag_family} and walks its socket table once for both
 * address families ({@code AF_UNSPEC}); {@code SOCK_DIAG_BY_FAMILY} needs one walk per family.
 * {@code idiag_ext} and {@code idiag_states} mean what they mean in {@link InetDiagReqV2}; the
 * other fields stay zero. An {@code INET_DIAG_REQ_BYTECODE} attribute may follow, as there.
 */
public final class InetDiagReq {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U8.withName("idiag_family"),
            U8.withName("idiag_src_len"),
            U8.withName("idiag_dst_len"),
            U8.withName("idiag_ext"),
            InetDiagSockId.LAYOUT.withName("id"),
            U32.withName("idiag_states"),
            U32.withName("idiag_dbs")).withName("inet_diag_req");

    /** {@code sizeof(struct inet_diag_req)}: 60. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle FAMILY = Layouts.handle(LAYOUT, "idiag_family");
    public static final VarHandle EXT = Layouts.handle(LAYOUT, "idiag_ext");
    public static final VarHandle STATES = Layouts.handle(LAYOUT, "idiag_states");
    public static final VarHandle DBS = Layouts.handle(LAYOUT, "idiag_dbs");
    /** Offset of the (ignored, zero) {@code id}. */
    public static final int ID_OFFSET = Layouts.offset(LAYOUT, "id");

    /** {@code TCPDIAG_GETSOCK}: the message type of the request and of every socket in its reply. */
    public static final short TCPDIAG_GETSOCK = 18;

    private InetDiagReq() {}
}
