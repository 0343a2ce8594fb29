package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U16;
import static dev.ssexporter.netlink.internal.Layouts.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct inet_diag_bc_op}, one instruction of the filter program carried by the
 * {@code INET_DIAG_REQ_BYTECODE} request attribute ({@code include/uapi/linux/inet_diag.h}):
 *
 * <pre>
 * struct inet_diag_bc_op {
 *     unsigned char  code;
 *     unsigned char  yes;
 *     unsigned short no;
 * };
 * </pre>
 *
 * The kernel ({@code inet_diag_bc_run}) evaluates {@code code} and moves forward {@code yes}
 * bytes when it holds, {@code no} bytes when not; a socket passes when the walk ends exactly at
 * the program's end, and fails when it jumps past it. A port comparison keeps its port in the
 * {@code no} field of a second op; a host condition is followed by an {@link InetDiagHostcond}.
 */
public final class InetDiagBcOp {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U8.withName("code"),
            U8.withName("yes"),
            U16.withName("no")).withName("inet_diag_bc_op");

    /** {@code sizeof(struct inet_diag_bc_op)}: 4. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle CODE = Layouts.handle(LAYOUT, "code");
    public static final VarHandle YES = Layouts.handle(LAYOUT, "yes");
    public static final VarHandle NO = Layouts.handle(LAYOUT, "no");

    /** {@code INET_DIAG_BC_NOP}: always true. */
    public static final int NOP = 0;
    /** {@code INET_DIAG_BC_JMP}: always false, so always takes {@code no}. */
    public static final int JMP = 1;
    /** {@code INET_DIAG_BC_S_GE}: local port {@code >=} the next op's {@code no}. */
    public static final int S_GE = 2;
    /** {@code INET_DIAG_BC_S_LE}: local port {@code <=} the next op's {@code no}. */
    public static final int S_LE = 3;
    /** {@code INET_DIAG_BC_D_GE}: remote port {@code >=} the next op's {@code no}. */
    public static final int D_GE = 4;
    /** {@code INET_DIAG_BC_D_LE}: remote port {@code <=} the next op's {@code no}. */
    public static final int D_LE = 5;
    /** {@code INET_DIAG_BC_S_COND}: local address (and port) as the following hostcond says. */
    public static final int S_COND = 7;
    /** {@code INET_DIAG_BC_D_COND}: remote address (and port) as the following hostcond says. */
    public static final int D_COND = 8;

    private InetDiagBcOp() {}
}
