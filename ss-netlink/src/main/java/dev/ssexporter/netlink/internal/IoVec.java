package dev.ssexporter.netlink.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct iovec} ({@code include/uapi/linux/uio.h}), LP64:
 *
 * <pre>
 * struct iovec {
 *     void           *iov_base;  // start of the buffer
 *     __kernel_size_t iov_len;   // its length in bytes
 * };
 * </pre>
 *
 * Unlike the netlink structs this one lives only in native memory we allocate, so it uses the
 * platform's aligned layouts.
 */
public final class IoVec {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("iov_base"),
            ValueLayout.JAVA_LONG.withName("iov_len")).withName("iovec");

    /** {@code sizeof(struct iovec)}: 16. */
    public static final int SIZE = Layouts.size(LAYOUT);

    public static final VarHandle BASE = Layouts.handle(LAYOUT, "iov_base");
    public static final VarHandle LEN = Layouts.handle(LAYOUT, "iov_len");

    private IoVec() {}
}
