package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.MalformedReplyException;
import dev.ssexporter.netlink.NetlinkException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A {@code NETLINK_SOCK_DIAG} socket: {@code socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 4)}, bound
 * to a kernel-chosen port ID. It owns its file descriptor and nothing else; buffers belong to the
 * caller. Not thread-safe: one request and its replies at a time.
 *
 * <p>Socket options:
 *
 * <ul>
 *   <li>{@code SO_RCVBUF} = {@value #RECEIVE_QUEUE_BYTES}. A dump is flow-controlled: the kernel
 *       fills the next reply datagram (at most 32 KiB) only while the queue is below this size, so
 *       the size bounds the memory in flight, not the dump. 256 KiB lets several datagrams wait,
 *       so each {@code recvmsg} finds one ready while staying small per process. Unprivileged
 *       processes are silently capped at {@code net.core.rmem_max}, which is fine.
 *   <li>{@code SO_RCVTIMEO} = {@value #RECEIVE_TIMEOUT_SECONDS} s, so a kernel that never answers
 *       fails the dump with {@code EAGAIN} instead of hanging a scrape forever.
 * </ul>
 */
public final class NetlinkSocket implements NetlinkTransport {
    /** {@code NETLINK_SOCK_DIAG}. */
    public static final int NETLINK_SOCK_DIAG = 4;
    /** The {@code SO_RCVBUF} this socket asks for, in bytes. */
    public static final int RECEIVE_QUEUE_BYTES = 256 * 1024;
    /** The {@code SO_RCVTIMEO} of this socket, in seconds. */
    public static final int RECEIVE_TIMEOUT_SECONDS = 10;

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    /** {@code SOCK_CLOEXEC} = {@code O_CLOEXEC} on x86-64 and arm64. */
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    /** {@code SO_RCVTIMEO_OLD}: a {@code struct timeval} of two longs on LP64. */
    private static final int SO_RCVTIMEO = 20;

    private final int fd;
    private final int portId;
    private final String sendCall;
    private final String recvCall;
    private boolean closed;

    private NetlinkSocket(int fd, int portId) {
        this.fd = fd;
        this.portId = portId;
        this.sendCall = "sendto(fd=" + fd + ", NETLINK_SOCK_DIAG)";
        this.recvCall = "recvmsg(fd=" + fd + ", NETLINK_SOCK_DIAG)";
    }

    /**
     * Opens, configures and binds a socket.
     *
     * @throws ErrnoException when a call fails, e.g. {@code EPROTONOSUPPORT} from a kernel without
     *     sock_diag
     * @throws IllegalCallerException when native access is denied (see {@link LibC#checkAvailable})
     */
    public static NetlinkSocket open() throws ErrnoException {
        return open(RECEIVE_QUEUE_BYTES);
    }

    /**
     * Opens, configures and binds a socket whose {@code SO_RCVBUF} is {@code receiveQueueBytes}
     * instead of {@value #RECEIVE_QUEUE_BYTES}. The kernel doubles the value and raises it to its
     * minimum (a few KiB) itself; a small queue only means more {@code recvmsg} calls per dump,
     * since the kernel fills the next reply only when the queue has room. Tests use it to check
     * that a dump is complete under a tight queue.
     *
     * @throws IllegalArgumentException when {@code receiveQueueBytes} is not positive
     */
    public static NetlinkSocket open(int receiveQueueBytes) throws ErrnoException {
        if (receiveQueueBytes <= 0) {
            throw new IllegalArgumentException("SO_RCVBUF must be positive, got " + receiveQueueBytes);
        }
        LibC.checkAvailable();
        try (Arena arena = Arena.ofConfined()) {
            int fd = LibC.socket(arena, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG,
                    "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_SOCK_DIAG)");
            boolean ok = false;
            try {
                MemorySegment rcvbuf = arena.allocateFrom(ValueLayout.JAVA_INT, receiveQueueBytes);
                LibC.setsockopt(arena, fd, SOL_SOCKET, SO_RCVBUF, rcvbuf,
                        "setsockopt(fd=" + fd + ", SO_RCVBUF, " + receiveQueueBytes + ")");
                MemorySegment timeout = arena.allocateFrom(ValueLayout.JAVA_LONG, RECEIVE_TIMEOUT_SECONDS, 0L);
                LibC.setsockopt(arena, fd, SOL_SOCKET, SO_RCVTIMEO, timeout,
                        "setsockopt(fd=" + fd + ", SO_RCVTIMEO, " + RECEIVE_TIMEOUT_SECONDS + "s)");
                MemorySegment addr = arena.allocate(SockaddrNl.LAYOUT);
                SockaddrNl.FAMILY.set(addr, 0L, SockaddrNl.AF_NETLINK);
                LibC.bind(arena, fd, addr, "bind(fd=" + fd + ", AF_NETLINK, pid=0)");
                int len = LibC.getsockname(arena, fd, addr, "getsockname(fd=" + fd + ", AF_NETLINK)");
                if (len < SockaddrNl.SIZE) {
                    throw new IllegalStateException("getsockname returned " + len + " bytes for a "
                            + SockaddrNl.SIZE + "-byte sockaddr_nl");
                }
                int portId = (int) SockaddrNl.PID.get(addr, 0L);
                ok = true;
                return new NetlinkSocket(fd, portId);
            } finally {
                if (!ok) {
                    LibC.close(arena, fd, "close(fd=" + fd + ")");
                }
            }
        }
    }

    /** The file descriptor. */
    @Override
    public int fd() {
        return fd;
    }

    /** The port ID the kernel bound this socket to; replies carry it in {@code nlmsg_pid}. */
    @Override
    public int portId() {
        return portId;
    }

    /** Sends {@code request} (one or more whole netlink messages) to the kernel. */
    @Override
    public void send(MemorySegment request) throws ErrnoException {
        checkOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment kernel = arena.allocate(SockaddrNl.LAYOUT);
            SockaddrNl.FAMILY.set(kernel, 0L, SockaddrNl.AF_NETLINK);
            long sent = LibC.sendto(arena, fd, request, 0, kernel, sendCall);
            if (sent != request.byteSize()) {
                throw new IllegalStateException(sendCall + " sent " + sent + " of " + request.byteSize() + " bytes");
            }
        }
    }

    /**
     * Receives one datagram from the kernel into {@code buffer}, a native segment. Datagrams from
     * another sender (a user-space process may write to any netlink port) are dropped.
     *
     * @return the number of bytes received, at most {@code buffer.byteSize()}
     * @throws MalformedReplyException when the datagram was larger than {@code buffer} and the
     *     kernel cut it ({@code MSG_TRUNC}): the rest is lost, so the dump cannot be trusted
     * @throws ErrnoException when {@code recvmsg} fails, e.g. {@code ENOBUFS} or {@code EAGAIN}
     *     after the receive timeout
     */
    @Override
    public int receive(MemorySegment buffer) throws NetlinkException {
        checkOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment from = arena.allocate(SockaddrNl.LAYOUT);
            MemorySegment iov = arena.allocate(IoVec.LAYOUT);
            IoVec.BASE.set(iov, 0L, buffer);
            IoVec.LEN.set(iov, 0L, buffer.byteSize());
            MemorySegment msg = arena.allocate(MsgHdr.LAYOUT);
            while (true) {
                MsgHdr.NAME.set(msg, 0L, from);
                MsgHdr.NAMELEN.set(msg, 0L, SockaddrNl.SIZE);
                MsgHdr.IOV.set(msg, 0L, iov);
                MsgHdr.IOVLEN.set(msg, 0L, 1L);
                MsgHdr.FLAGS.set(msg, 0L, 0);
                long n = LibC.recvmsg(arena, fd, msg, MsgHdr.MSG_TRUNC, recvCall);
                int flags = (int) MsgHdr.FLAGS.get(msg, 0L);
                if ((flags & MsgHdr.MSG_TRUNC) != 0 || n > buffer.byteSize()) {
                    throw new MalformedReplyException("truncated datagram", 0, "the kernel sent " + n
                            + " bytes but the receive buffer holds " + buffer.byteSize() + "; the rest is lost");
                }
                if ((int) SockaddrNl.PID.get(from, 0L) == 0) {
                    return (int) n;
                }
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("netlink socket fd=" + fd + " is closed");
        }
    }

    /** Closes the descriptor; a second call does nothing. */
    @Override
    public void close() throws ErrnoException {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena arena = Arena.ofConfined()) {
            LibC.close(arena, fd, "close(fd=" + fd + ", NETLINK_SOCK_DIAG)");
        }
    }
}
