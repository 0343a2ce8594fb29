package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U32;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct nlmsgerr}, the payload of an {@code NLMSG_ERROR} message
 * ({@code include/uapi/linux/netlink.h}):
 *
 * <pre>
 * struct nlmsgerr {
 *     int             error;  // negative errno, or 0 for an acknowledgement
 *     struct nlmsghdr msg;    // the header of the request that failed
 * };
 * </pre>
 *
 * Only {@code error} is read: a reply may carry just the first 4 bytes of it before the kernel
 * decides to echo the request, and the request is ours anyway.
 */
public final class NlMsgErr {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("error"),
            NlMsgHdr.LAYOUT.withName("msg")).withName("nlmsgerr");

    /** {@code sizeof(struct nlmsgerr)}: 20. */
    public static final int SIZE = Layouts.size(LAYOUT);
    /** Bytes the parser needs: the {@code error} member. */
    public static final int ERROR_SIZE = 4;

    public static final VarHandle ERROR = Layouts.handle(LAYOUT, "error");

    private NlMsgErr() {}
}
