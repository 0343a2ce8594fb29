package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U32;
import static dev.ssexporter.netlink.internal.Layouts.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct inet_diag_msg}, one socket in a {@code SOCK_DIAG_BY_FAMILY} reply
 * ({@code include/uapi/linux/inet_diag.h}), followed by {@link RtAttr attributes}:
 *
 * <pre>
 * struct inet_diag_msg {
 *     __u8  idiag_family;
 *     __u8  idiag_state;
 *     __u8  idiag_timer;
 *     __u8  idiag_retrans;
 *     struct inet_diag_sockid id;
 *     __u32 idiag_expires;
 *     __u32 idiag_rqueue;
 *     __u32 idiag_wqueue;
 *     __u32 idiag_uid;
 *     __u32 idiag_inode;
 * };
 * </pre>
 *
 * The attribute types are the {@code INET_DIAG_*} enum of the same header; those this parser reads
 * are constants here.
 */
public final class InetDiagMsg {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U8.withName("idiag_family"),
            U8.withName("idiag_state"),
            U8.withName("idiag_timer"),
            U8.withName("idiag_retrans"),
            InetDiagSockId.LAYOUT.withName("id"),
            U32.withName("idiag_expires"),
            U32.withName("idiag_rqueue"),
            U32.withName("idiag_wqueue"),
            U32.withName("idiag_uid"),
            U32.withName("idiag_inode")).withName("inet_diag_msg");

    /** {@code sizeof(struct inet_diag_msg)}: 72. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle FAMILY = Layouts.handle(LAYOUT, "idiag_family");
    public static final VarHandle STATE = Layouts.handle(LAYOUT, "idiag_state");
    public static final VarHandle TIMER = Layouts.handle(LAYOUT, "idiag_timer");
    public static final VarHandle RETRANS = Layouts.handle(LAYOUT, "idiag_retrans");
    public static final VarHandle EXPIRES = Layouts.handle(LAYOUT, "idiag_expires");
    public static final VarHandle RQUEUE = Layouts.handle(LAYOUT, "idiag_rqueue");
    public static final VarHandle WQUEUE = Layouts.handle(LAYOUT, "idiag_wqueue");
    public static final VarHandle UID = Layouts.handle(LAYOUT, "idiag_uid");
    public static final VarHandle INODE = Layouts.handle(LAYOUT, "idiag_inode");
    /** Offset of the {@link InetDiagSockId} {@code id}: 4. */
    public static final int ID_OFFSET = Layouts.offset(LAYOUT, "id");

    /** {@code INET_DIAG_MEMINFO}: {@code struct inet_diag_meminfo}. */
    public static final int INET_DIAG_MEMINFO = 1;
    /** {@code INET_DIAG_INFO}: {@code struct tcp_info}, as long as the kernel knows it. */
    public static final int INET_DIAG_INFO = 2;
    /** {@code INET_DIAG_CONG}: the congestion control name, NUL-terminated. */
    public static final int INET_DIAG_CONG = 4;
    /** {@code INET_DIAG_SKMEMINFO}: {@code __u32[SK_MEMINFO_VARS]}. */
    public static final int INET_DIAG_SKMEMINFO = 7;

    /** {@code SK_MEMINFO_VARS} as of Linux 4.x onwards: 9 counters, the last {@code DROPS}. */
    public static final int SK_MEMINFO_VARS = 9;
    /** Counters every kernel that sends {@code INET_DIAG_SKMEMINFO} has: up to {@code OPTMEM}. */
    public static final int SK_MEMINFO_MIN_VARS = 7;

    private InetDiagMsg() {}
}
