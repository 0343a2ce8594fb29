package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.MalformedReplyException;
import dev.ssexporter.netlink.MemInfo;
import dev.ssexporter.netlink.NetlinkException;
import dev.ssexporter.netlink.SkMemInfo;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpState;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns the bytes of one {@code recvmsg} datagram of a TCP dump ({@link DumpRequest}) into
 * {@link SocketRecord}s. A pure function of its input: no system calls, no globals; it works on
 * any segment, including a heap segment over a {@code byte[]} fixture.
 *
 * <p>What it checks, and what it does:
 *
 * <ul>
 *   <li>Each {@code nlmsghdr} must fit in what is left of the buffer and {@code nlmsg_len} must
 *       cover at least the header and fit; messages are stepped by {@code NLMSG_ALIGN(nlmsg_len)},
 *       so {@code nlmsg_len = 0} is an error, never a loop.
 *   <li>A message whose {@code nlmsg_seq} or {@code nlmsg_pid} differs from the request's is
 *       skipped and counted ({@link Outcome#skipped}), as iproute2 does: it is a leftover of an
 *       earlier request, not part of this dump, and the socket is otherwise fine.
 *   <li>{@code NLMSG_ERROR} with a negative code, and {@code NLMSG_DONE} with a negative code, throw
 *       {@link ErrnoException} naming the dump, e.g.
 *       {@code SOCK_DIAG_BY_FAMILY dump (AF_INET6) failed: EPERM (errno 1)}. Error 0 is an
 *       acknowledgement and is passed over. {@code NLMSG_DONE} ends the dump: the rest of the
 *       buffer is ignored.
 *   <li>{@code NLM_F_DUMP_INTR} on any message of the dump sets {@link Outcome#interrupted}.
 *   <li>Every attribute's length is checked against its message; unknown attributes are skipped.
 *   <li>Anything else that does not fit throws {@link MalformedReplyException} with the offset.
 * </ul>
 *
 * <p>Allocation per socket is the record and what it holds, nothing else: {@link TcpInfo} keeps
 * one copy of the struct's bytes and decodes a member when asked, and addresses come from an
 * {@link AddressCache}, so a dump's many sockets on the same addresses share their instances. The
 * caches (addresses, the last congestion name) are reused across dumps, so an instance is not
 * thread-safe; use one per reader. What it returns depends only on the bytes.
 */
public final class InetDiagParser {
    private static final ValueLayout.OfByte U8 = Layouts.U8;
    private static final ValueLayout.OfInt U32 = Layouts.U32;
    private static final ValueLayout.OfInt BE32 = Layouts.BE32;
    private static final ValueLayout.OfLong BE64 = Layouts.BE64;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    /**
     * What one buffer held.
     *
     * @param done whether {@code NLMSG_DONE} ended the dump in this buffer
     * @param interrupted whether a message of the dump carried {@code NLM_F_DUMP_INTR}
     * @param messages netlink messages read, including skipped ones and {@code NLMSG_DONE}
     * @param sockets records passed to the sink
     * @param skipped messages skipped for a foreign sequence number or port ID
     */
    public record Outcome(boolean done, boolean interrupted, int messages, int sockets, int skipped) {}

    private final AddressCache addresses = new AddressCache();
    private byte[] lastCongestionBytes = new byte[0];
    private String lastCongestion = "";

    /** {@link #parse(MemorySegment, int, int, int, DumpRequest, Consumer)} of one family's dump. */
    public Outcome parse(MemorySegment buffer, int length, int seq, int portId, AddressFamily requested,
                         Consumer<? super SocketRecord> sink) throws NetlinkException {
        return parse(buffer, length, seq, portId, DumpRequest.of(requested), sink);
    }

    /**
     * Parses {@code length} bytes at the start of {@code buffer}.
     *
     * @param seq the sequence number of the request
     * @param portId the port ID of the requesting socket
     * @param request what was asked for: sockets come as messages of its
     *     {@linkplain DumpRequest#messageType() type}, and it names the dump in errors
     * @param sink receives each socket in order; an exception it throws propagates
     */
    public Outcome parse(MemorySegment buffer, int length, int seq, int portId, DumpRequest request,
                         Consumer<? super SocketRecord> sink) throws NetlinkException {
        if (length < 0 || length > buffer.byteSize()) {
            throw new IllegalArgumentException("length " + length + " is outside the "
                    + buffer.byteSize() + "-byte buffer");
        }
        // One view of the datagram per call, for TcpInfo.copyOf: no buffer object per socket.
        ByteBuffer view = buffer.asSlice(0, length).asByteBuffer();
        boolean done = false;
        boolean interrupted = false;
        int messages = 0;
        int sockets = 0;
        int skipped = 0;
        long off = 0;
        while (off < length && !done) {
            long left = length - off;
            if (left < NlMsgHdr.SIZE) {
                throw new MalformedReplyException("truncated nlmsghdr", off,
                        "need " + NlMsgHdr.SIZE + " bytes, " + left + " left");
            }
            long len = Integer.toUnsignedLong((int) NlMsgHdr.LEN.get(buffer, off));
            if (len < NlMsgHdr.SIZE) {
                throw new MalformedReplyException("nlmsghdr", off,
                        "nlmsg_len " + len + " is smaller than the " + NlMsgHdr.SIZE + "-byte header");
            }
            if (len > left) {
                throw new MalformedReplyException("truncated netlink message", off,
                        "nlmsg_len " + len + ", but " + left + " bytes left");
            }
            int type = Short.toUnsignedInt((short) NlMsgHdr.TYPE.get(buffer, off));
            int flags = Short.toUnsignedInt((short) NlMsgHdr.FLAGS.get(buffer, off));
            messages++;
            if ((int) NlMsgHdr.SEQ.get(buffer, off) != seq || (int) NlMsgHdr.PID.get(buffer, off) != portId) {
                skipped++;
            } else {
                if ((flags & NlMsgHdr.NLM_F_DUMP_INTR) != 0) {
                    interrupted = true;
                }
                long payload = off + NlMsgHdr.SIZE;
                long payloadLen = len - NlMsgHdr.SIZE;
                if (type == request.messageType()) {
                    sink.accept(parseSocket(buffer, view, payload, payloadLen));
                    sockets++;
                } else {
                    done = control(buffer, off, type, payload, payloadLen, request);
                }
            }
            off += NlMsgHdr.align(len);
        }
        return new Outcome(done, interrupted, messages, sockets, skipped);
    }

    /**
     * Handles a message that is not a socket: returns true for {@code NLMSG_DONE}, passes over an
     * acknowledgement or {@code NLMSG_NOOP}, and throws for an error or anything else.
     */
    private static boolean control(MemorySegment buffer, long off, int type, long payload, long payloadLen,
                                   DumpRequest request) throws NetlinkException {
        switch (type) {
            case NlMsgHdr.NLMSG_DONE -> {
                // The status is an int; a kernel that sends none means success.
                int status = payloadLen >= 4 ? buffer.get(U32, payload) : 0;
                if (status < 0) {
                    throw new ErrnoException(request.description(), -status);
                }
                return true;
            }
            case NlMsgHdr.NLMSG_ERROR -> {
                if (payloadLen < NlMsgErr.ERROR_SIZE) {
                    throw new MalformedReplyException("truncated nlmsgerr", payload,
                            "need " + NlMsgErr.ERROR_SIZE + " bytes, " + payloadLen + " left");
                }
                // Not NlMsgErr.ERROR: its VarHandle checks that the whole 20-byte struct fits,
                // and a reply may carry only the 4-byte error.
                int error = buffer.get(U32, payload);
                if (error > 0) {
                    throw new MalformedReplyException("nlmsgerr", payload,
                            "error " + error + " is positive; the kernel sends a negative errno");
                }
                if (error < 0) {
                    throw new ErrnoException(request.description(), -error);
                }
                return false;
            }
            case NlMsgHdr.NLMSG_NOOP -> {
                return false;
            }
            case NlMsgHdr.NLMSG_OVERRUN -> throw new MalformedReplyException("NLMSG_OVERRUN", off,
                    "the kernel reports lost data");
            default -> throw new MalformedReplyException("netlink message", off,
                    "unexpected nlmsg_type " + type + " in a " + request.description());
        }
    }

    private SocketRecord parseSocket(MemorySegment b, ByteBuffer view, long msg, long len)
            throws MalformedReplyException {
        if (len < InetDiagMsg.SIZE) {
            throw new MalformedReplyException("truncated inet_diag_msg", msg,
                    "need " + InetDiagMsg.SIZE + " bytes, " + len + " left");
        }
        int familyCode = Byte.toUnsignedInt((byte) InetDiagMsg.FAMILY.get(b, msg));
        AddressFamily family = switch (familyCode) {
            case AF_INET -> AddressFamily.INET;
            case AF_INET6 -> AddressFamily.INET6;
            default -> throw new MalformedReplyException("inet_diag_msg", msg,
                    "idiag_family " + familyCode + " is neither AF_INET (2) nor AF_INET6 (10)");
        };
        int stateCode = Byte.toUnsignedInt((byte) InetDiagMsg.STATE.get(b, msg));
        if (stateCode < 1 || stateCode > 13) {
            throw new MalformedReplyException("inet_diag_msg", msg,
                    "idiag_state " + stateCode + " is outside the kernel's TCP states 1..13");
        }
        TcpState state = TcpState.ofCode(stateCode);
        long id = msg + InetDiagMsg.ID_OFFSET;
        int localPort = Short.toUnsignedInt((short) InetDiagSockId.SPORT.get(b, id));
        int remotePort = Short.toUnsignedInt((short) InetDiagSockId.DPORT.get(b, id));
        InetAddress local = address(b, id + InetDiagSockId.SRC_OFFSET, family);
        InetAddress remote = address(b, id + InetDiagSockId.DST_OFFSET, family);
        int ifIndex = (int) InetDiagSockId.IF.get(b, id);
        long cookie = Integer.toUnsignedLong((int) InetDiagSockId.COOKIE.get(b, id, 0L))
                | ((long) (int) InetDiagSockId.COOKIE.get(b, id, 1L) << 32);

        String congestion = null;
        MemInfo memInfo = null;
        SkMemInfo skMemInfo = null;
        TcpInfo tcpInfo = null;
        long end = msg + len;
        long a = msg + InetDiagMsg.SIZE;
        while (a < end) {
            long left = end - a;
            if (left < RtAttr.SIZE) {
                throw new MalformedReplyException("truncated rtattr", a,
                        "need " + RtAttr.SIZE + " bytes, " + left + " left in the message");
            }
            int alen = Short.toUnsignedInt((short) RtAttr.LEN.get(b, a));
            int atype = Short.toUnsignedInt((short) RtAttr.TYPE.get(b, a)) & RtAttr.TYPE_MASK;
            if (alen < RtAttr.SIZE) {
                throw new MalformedReplyException("rtattr type " + atype, a,
                        "rta_len " + alen + " is smaller than the " + RtAttr.SIZE + "-byte header");
            }
            if (alen > left) {
                throw new MalformedReplyException("truncated rtattr type " + atype, a,
                        "rta_len " + alen + ", but " + left + " bytes left in the message");
            }
            long p = a + RtAttr.SIZE;
            int plen = alen - RtAttr.SIZE;
            switch (atype) {
                case InetDiagMsg.INET_DIAG_INFO -> tcpInfo = TcpInfo.copyOf(view, (int) p, plen);
                case InetDiagMsg.INET_DIAG_CONG -> congestion = congestion(b, p, plen);
                case InetDiagMsg.INET_DIAG_MEMINFO -> memInfo = memInfo(b, p, plen, a);
                case InetDiagMsg.INET_DIAG_SKMEMINFO -> skMemInfo = skMemInfo(b, p, plen, a);
                default -> { }
            }
            a += RtAttr.align(alen);
        }
        return new SocketRecord(family, state, local, localPort, remote, remotePort, ifIndex, cookie,
                Integer.toUnsignedLong((int) InetDiagMsg.INODE.get(b, msg)),
                (int) InetDiagMsg.UID.get(b, msg),
                Integer.toUnsignedLong((int) InetDiagMsg.RQUEUE.get(b, msg)),
                Integer.toUnsignedLong((int) InetDiagMsg.WQUEUE.get(b, msg)),
                Byte.toUnsignedInt((byte) InetDiagMsg.TIMER.get(b, msg)),
                Byte.toUnsignedInt((byte) InetDiagMsg.RETRANS.get(b, msg)),
                Integer.toUnsignedLong((int) InetDiagMsg.EXPIRES.get(b, msg)),
                congestion, memInfo, skMemInfo, tcpInfo);
    }

    /**
     * An address from a 16-byte {@code __be32[4]}: the first 4 bytes for AF_INET; for AF_INET6
     * all 16, except that {@code ::ffff:a.b.c.d} becomes the IPv4 address. No DNS lookup.
     */
    private InetAddress address(MemorySegment b, long at, AddressFamily family) {
        return family == AddressFamily.INET
                ? addresses.v4(b.get(BE32, at))
                : addresses.v6(b.get(BE64, at), b.get(BE64, at + 8));
    }

    /** The name up to its NUL, or the whole payload if the NUL is missing; cached for repeats. */
    private String congestion(MemorySegment b, long p, int plen) {
        int n = 0;
        while (n < plen && b.get(U8, p + n) != 0) {
            n++;
        }
        byte[] cached = lastCongestionBytes;
        if (n == cached.length) {
            int i = 0;
            while (i < n && b.get(U8, p + i) == cached[i]) {
                i++;
            }
            if (i == n) {
                return lastCongestion;
            }
        }
        byte[] bytes = new byte[n];
        MemorySegment.copy(b, U8, p, bytes, 0, n);
        lastCongestionBytes = bytes;
        lastCongestion = new String(bytes, StandardCharsets.US_ASCII);
        return lastCongestion;
    }

    private static MemInfo memInfo(MemorySegment b, long p, int plen, long attr) throws MalformedReplyException {
        if (plen < InetDiagMeminfo.SIZE) {
            throw new MalformedReplyException("INET_DIAG_MEMINFO", attr,
                    "payload " + plen + " bytes, need " + InetDiagMeminfo.SIZE);
        }
        return new MemInfo(
                Integer.toUnsignedLong((int) InetDiagMeminfo.RMEM.get(b, p)),
                Integer.toUnsignedLong((int) InetDiagMeminfo.WMEM.get(b, p)),
                Integer.toUnsignedLong((int) InetDiagMeminfo.FMEM.get(b, p)),
                Integer.toUnsignedLong((int) InetDiagMeminfo.TMEM.get(b, p)));
    }

    private static SkMemInfo skMemInfo(MemorySegment b, long p, int plen, long attr) throws MalformedReplyException {
        int count = plen / 4;
        if (count < InetDiagMsg.SK_MEMINFO_MIN_VARS) {
            throw new MalformedReplyException("INET_DIAG_SKMEMINFO", attr, "payload " + plen
                    + " bytes, need at least " + InetDiagMsg.SK_MEMINFO_MIN_VARS * 4);
        }
        return new SkMemInfo(skVar(b, p, count, 0), skVar(b, p, count, 1), skVar(b, p, count, 2),
                skVar(b, p, count, 3), skVar(b, p, count, 4), skVar(b, p, count, 5), skVar(b, p, count, 6),
                skVar(b, p, count, 7), skVar(b, p, count, 8));
    }

    /** Counter {@code i} of an {@code SK_MEMINFO_*} array of {@code count}, or -1 beyond it. */
    private static long skVar(MemorySegment b, long p, int count, int i) {
        return i < count ? Integer.toUnsignedLong(b.get(U32, p + 4L * i)) : -1L;
    }
}
