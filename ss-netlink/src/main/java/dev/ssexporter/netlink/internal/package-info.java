/**
 * Not API. The native side of {@code dev.ssexporter.netlink}: the libc downcalls ({@link
 * dev.ssexporter.netlink.internal.LibC}), the netlink socket ({@link
 * dev.ssexporter.netlink.internal.NetlinkSocket}), one class per kernel struct with its
 * {@code StructLayout} and var handles, the request encoder and the reply parser ({@link
 * dev.ssexporter.netlink.internal.InetDiagParser}, a pure function of bytes).
 *
 * <p>Every {@code MemorySegment} of the module stays in this package.
 */
package dev.ssexporter.netlink.internal;
