package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.NetlinkException;
import dev.ssexporter.netlink.SocketRecord;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * One socket, one receive buffer, one request at a time: sends a {@link DumpRequest} (one family,
 * or both) and feeds every reply datagram to the {@link InetDiagParser} until {@code NLMSG_DONE}.
 *
 * <p>The buffers come from a shared arena this object owns (a reader may be used from several
 * threads, one at a time) and are freed by {@link #close}. Not thread-safe; the public reader
 * serializes its callers.
 */
public final class InetDiagDumper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InetDiagDumper.class.getName());

    /** Receive buffer size: twice the largest datagram a dump sends (32 KiB), as headroom. */
    public static final int RECEIVE_BUFFER_BYTES = 64 * 1024;

    private final Arena arena;
    private final NetlinkTransport socket;
    /**
     * Grows (doubling, so at most a dozen times up to the largest program) when a filter program
     * needs more room; outgrown buffers stay in the arena until {@link #close}.
     */
    private MemorySegment request;
    private final MemorySegment buffer;
    private final RequestEncoder encoder = new RequestEncoder(1);
    private final InetDiagParser parser = new InetDiagParser();
    private long skippedTotal;

    private InetDiagDumper(NetlinkTransport socket) {
        this.socket = socket;
        this.arena = Arena.ofShared();
        this.request = arena.allocate(RequestEncoder.MAX_SIZE, 8);
        this.buffer = arena.allocate(RECEIVE_BUFFER_BYTES, 8);
    }

    /** Opens the netlink socket and allocates the buffers. */
    public static InetDiagDumper open() throws ErrnoException {
        return open(NetlinkSocket::open);
    }

    /** Opens the transport {@code opener} gives (a scripted one in tests) and allocates the buffers. */
    public static InetDiagDumper open(NetlinkTransport.Opener opener) throws ErrnoException {
        NetlinkTransport transport = opener.open();
        if (transport == null) {
            throw new IllegalStateException("the transport opener returned null");
        }
        return new InetDiagDumper(transport);
    }

    /** Allocates the buffers for {@code socket}, which this dumper then owns and closes. */
    public static InetDiagDumper over(NetlinkSocket socket) {
        return new InetDiagDumper(socket);
    }

    /**
     * Dumps the TCP sockets of {@code family} in the states of {@code stateMask}.
     *
     * @param ext {@code idiag_ext} bits, see {@link RequestEncoder#extensions}
     */
    public DumpStats dump(AddressFamily family, int stateMask, int ext, Consumer<? super SocketRecord> sink)
            throws NetlinkException {
        return dump(DumpRequest.of(family), stateMask, ext, new byte[0], sink);
    }

    /** {@link #dump(DumpRequest, int, int, byte[], Consumer)} of one family. */
    public DumpStats dump(AddressFamily family, int stateMask, int ext, byte[] program,
                          Consumer<? super SocketRecord> sink) throws NetlinkException {
        return dump(DumpRequest.of(family), stateMask, ext, program, sink);
    }

    /**
     * Sends {@code what} for the TCP sockets in the states of {@code stateMask} that pass
     * {@code program}, and streams them to {@code sink}.
     *
     * @param ext {@code idiag_ext} bits, see {@link RequestEncoder#extensions}
     * @param program a {@link BytecodeCompiler} program, empty for none; a program the kernel's
     *     audit refuses fails the dump with {@code EINVAL}
     */
    public DumpStats dump(DumpRequest what, int stateMask, int ext, byte[] program,
                          Consumer<? super SocketRecord> sink) throws NetlinkException {
        int size = RequestEncoder.size(what, program);
        if (size > request.byteSize()) {
            request = arena.allocate(Math.max(size, 2 * request.byteSize()), 8);
        }
        int seq = encoder.encode(request, what, stateMask, ext, program);
        socket.send(request.asSlice(0, size));
        long sockets = 0;
        long messages = 0;
        long bytes = 0;
        long skipped = 0;
        boolean interrupted = false;
        while (true) {
            int n = socket.receive(buffer);
            bytes += n;
            InetDiagParser.Outcome o = parser.parse(buffer, n, seq, socket.portId(), what, sink);
            sockets += o.sockets();
            messages += o.messages();
            skipped += o.skipped();
            interrupted |= o.interrupted();
            if (o.done()) {
                if (skipped > 0) {
                    skippedTotal += skipped;
                    LOG.log(System.Logger.Level.DEBUG, "skipped {0} netlink messages of another request"
                            + " (sequence number or port ID other than {1}/{2}) on fd={3}",
                            skipped, seq, socket.portId(), socket.fd());
                }
                return new DumpStats(sockets, messages, bytes, interrupted);
            }
        }
    }

    /** Messages skipped so far for a foreign sequence number or port ID. */
    public long skippedMessages() {
        return skippedTotal;
    }

    /** The socket's file descriptor, for messages. */
    public int fd() {
        return socket.fd();
    }

    /** Closes the socket and frees the buffers. */
    @Override
    public void close() throws ErrnoException {
        try {
            socket.close();
        } finally {
            arena.close();
        }
    }
}
