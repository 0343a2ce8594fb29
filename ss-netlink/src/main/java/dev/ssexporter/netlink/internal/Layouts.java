package dev.ssexporter.netlink.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Shared building blocks of the struct classes: unaligned kernel scalars and var handles. */
final class Layouts {
    /** {@code __u8}. */
    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    /** {@code __u16} in native order, 1-byte aligned. */
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    /** {@code __u32} in native order, 1-byte aligned. */
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    /** {@code __u64} in native order, 1-byte aligned. */
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    /** {@code __be16}: network order, 1-byte aligned. */
    static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** {@code __be32}: network order, 1-byte aligned. */
    static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Eight bytes in network order, 1-byte aligned: half an IPv6 address. */
    static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Layouts() {}

    /**
     * The var handle of member {@code path} of {@code layout}, coordinates
     * {@code (MemorySegment, long baseOffset)}, with exact invocation so that a call site with a
     * wrong type fails at once instead of converting silently.
     */
    static VarHandle handle(StructLayout layout, String... path) {
        PathElement[] elements = new PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = PathElement.groupElement(path[i]);
        }
        return layout.varHandle(elements).withInvokeExactBehavior();
    }

    /** Byte offset of member {@code name} in {@code layout}. */
    static int offset(StructLayout layout, String name) {
        return Math.toIntExact(layout.byteOffset(PathElement.groupElement(name)));
    }

    /** Byte size of {@code layout} as an int. */
    static int size(MemoryLayout layout) {
        return Math.toIntExact(layout.byteSize());
    }
}
