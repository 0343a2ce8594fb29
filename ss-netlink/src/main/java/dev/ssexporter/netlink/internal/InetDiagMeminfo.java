package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U32;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct inet_diag_meminfo}, the {@code INET_DIAG_MEMINFO} attribute
 * ({@code include/uapi/linux/inet_diag.h}):
 *
 * <pre>
 * struct inet_diag_meminfo {
 *     __u32 idiag_rmem;
 *     __u32 idiag_wmem;
 *     __u32 idiag_fmem;
 *     __u32 idiag_tmem;
 * };
 * </pre>
 */
public final class InetDiagMeminfo {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("idiag_rmem"),
            U32.withName("idiag_wmem"),
            U32.withName("idiag_fmem"),
            U32.withName("idiag_tmem")).withName("inet_diag_meminfo");

    /** {@code sizeof(struct inet_diag_meminfo)}: 16. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle RMEM = Layouts.handle(LAYOUT, "idiag_rmem");
    public static final VarHandle WMEM = Layouts.handle(LAYOUT, "idiag_wmem");
    public static final VarHandle FMEM = Layouts.handle(LAYOUT, "idiag_fmem");
    public static final VarHandle TMEM = Layouts.handle(LAYOUT, "idiag_tmem");

    private InetDiagMeminfo() {}
}
