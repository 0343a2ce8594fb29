package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U16;
import static dev.ssexporter.netlink.internal.Layouts.U32;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct nlmsghdr}, the header of every netlink message ({@code include/uapi/linux/netlink.h}):
 *
 * <pre>
 * struct nlmsghdr {
 *     __u32 nlmsg_len;    // Length of message including header
 *     __u16 nlmsg_type;   // Message content
 *     __u16 nlmsg_flags;  // Additional flags
 *     __u32 nlmsg_seq;    // Sequence number
 *     __u32 nlmsg_pid;    // Sending process port ID
 * };
 * </pre>
 *
 * Messages follow each other at {@link #align NLMSG_ALIGN}ed offsets.
 */
public final class NlMsgHdr {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("nlmsg_len"),
            U16.withName("nlmsg_type"),
            U16.withName("nlmsg_flags"),
            U32.withName("nlmsg_seq"),
            U32.withName("nlmsg_pid")).withName("nlmsghdr");

    /** {@code sizeof(struct nlmsghdr)}: 16. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle LEN = Layouts.handle(LAYOUT, "nlmsg_len");
    public static final VarHandle TYPE = Layouts.handle(LAYOUT, "nlmsg_type");
    public static final VarHandle FLAGS = Layouts.handle(LAYOUT, "nlmsg_flags");
    public static final VarHandle SEQ = Layouts.handle(LAYOUT, "nlmsg_seq");
    public static final VarHandle PID = Layouts.handle(LAYOUT, "nlmsg_pid");

    /** {@code NLMSG_NOOP}: nothing, skip. */
    public static final int NLMSG_NOOP = 1;
    /** {@code NLMSG_ERROR}: a {@code struct nlmsgerr}; error 0 is an acknowledgement. */
    public static final int NLMSG_ERROR = 2;
    /** {@code NLMSG_DONE}: end of a multipart dump; payload an {@code int} status. */
    public static final int NLMSG_DONE = 3;
    /** {@code NLMSG_OVERRUN}: data lost. */
    public static final int NLMSG_OVERRUN = 4;

    /** {@code NLM_F_REQUEST}: a request. */
    public static final int NLM_F_REQUEST = 0x01;
    /** {@code NLM_F_MULTI}: part of a multipart reply, ended by {@code NLMSG_DONE}. */
    public static final int NLM_F_MULTI = 0x02;
    /** {@code NLM_F_DUMP_INTR}: the dump was inconsistent because the table changed under it. */
    public static final int NLM_F_DUMP_INTR = 0x10;
    /** {@code NLM_F_DUMP} = {@code NLM_F_ROOT | NLM_F_MATCH}: return every matching entry. */
    public static final int NLM_F_DUMP = 0x100 | 0x200;

    /** {@code NLMSG_ALIGNTO}. */
    public static final int ALIGNTO = 4;

    private NlMsgHdr() {}

    /** {@code NLMSG_ALIGN(len)}: {@code len} rounded up to a multiple of 4. */
    public static long align(long len) {
        return (len + ALIGNTO - 1) & ~(long) (ALIGNTO - 1);
    }
}
