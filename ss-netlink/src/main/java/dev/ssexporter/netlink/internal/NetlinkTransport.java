package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.NetlinkException;
import java.lang.foreign.MemorySegment;

/**
 * Where a dump's request goes and its reply datagrams come from: a {@link NetlinkSocket} in
 * production. The seam exists so tests can script the kernel's side, including its failures
 * ({@code ENOBUFS} from {@code recvmsg}, an {@code NLMSG_ERROR} in the middle of a dump,
 * {@code NLM_F_DUMP_INTR}), without a kernel that misbehaves on cue.
 *
 * <p>The contract is {@link NetlinkSocket}'s: one request and its replies at a time, not
 * thread-safe, and a receive that fails or times out throws instead of blocking forever.
 */
public interface NetlinkTransport extends AutoCloseable {

    /** Opens a transport; {@link NetlinkSocket#open()} in production. */
    @FunctionalInterface
    interface Opener {
        NetlinkTransport open() throws ErrnoException;
    }

    /** The file descriptor, for messages (a fake may return any number). */
    int fd();

    /** The port ID replies to this transport carry in {@code nlmsg_pid}. */
    int portId();

    /** Sends {@code request}, one or more whole netlink messages. */
    void send(MemorySegment request) throws NetlinkException;

    /**
     * Receives one datagram from the kernel into {@code buffer}.
     *
     * @return the number of bytes received, at most {@code buffer.byteSize()}
     * @throws NetlinkException when the receive fails ({@link ErrnoException}) or the datagram was
     *     cut ({@link dev.ssexporter.netlink.MalformedReplyException})
     */
    int receive(MemorySegment buffer) throws NetlinkException;

    /** Releases the transport; a second call does nothing. */
    @Override
    void close() throws ErrnoException;
}
