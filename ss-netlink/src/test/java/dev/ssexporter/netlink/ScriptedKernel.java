package dev.ssexporter.netlink;

import dev.ssexporter.netlink.internal.Errno;
import dev.ssexporter.netlink.internal.NetlinkTransport;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The kernel's side of {@code NETLINK_SOCK_DIAG}, scripted: a queue of steps, each either a reply
 * datagram or a failure, consumed one per {@code recvmsg} by whichever transport is open. It is
 * the {@link NetlinkTransport.Opener} of a reader under test, so a reader that reopens its socket
 * after a failure gets a fresh transport reading on in the same script.
 *
 * <p>Replies are re-stamped with the sequence number of the request the transport last got and
 * with its port ID, as the kernel would send them. A receive with nothing left in the script fails
 * like the real socket's receive timeout, {@code EAGAIN}, so a test never hangs on it.
 */
final class ScriptedKernel implements NetlinkTransport.Opener {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    private sealed interface Step permits Reply, Failure {}

    private record Reply(byte[] datagram) implements Step {}

    private record Failure(NetlinkException error) implements Step {}

    private final Deque<Step> steps = new ArrayDeque<>();
    private final Deque<ErrnoException> openFailures = new ArrayDeque<>();
    final List<Transport> opened = new ArrayList<>();
    /** The {@code sdiag_family} of every request sent, in order. */
    final List<Integer> requestFamilies = new ArrayList<>();
    /** The {@code nlmsg_type} of every request sent, in order. */
    final List<Integer> requestTypes = new ArrayList<>();
    private int nextFd = 100;

    /** Queues datagrams to answer with, in order. */
    ScriptedKernel reply(byte[]... datagrams) {
        for (byte[] d : datagrams) {
            steps.add(new Reply(d));
        }
        return this;
    }

    /** Queues a failed receive: {@code recvmsg}'s errno, or a cut datagram. */
    ScriptedKernel fail(NetlinkException error) {
        steps.add(new Failure(error));
        return this;
    }

    /** Makes the next {@link #open()} fail with {@code error}, e.g. {@code EMFILE}. */
    ScriptedKernel failNextOpen(ErrnoException error) {
        openFailures.add(error);
        return this;
    }

    /** Steps not consumed yet. */
    int pending() {
        return steps.size();
    }

    @Override
    public Transport open() throws ErrnoException {
        ErrnoException failure = openFailures.poll();
        if (failure != null) {
            throw failure;
        }
        Transport t = new Transport(nextFd++, 5000 + opened.size());
        opened.add(t);
        return t;
    }

    /** One opened "socket". */
    final class Transport implements NetlinkTransport {
        private final int fd;
        private final int portId;
        private int seq = -1;
        boolean closed;

        Transport(int fd, int portId) {
            this.fd = fd;
            this.portId = portId;
        }

        @Override
        public int fd() {
            return fd;
        }

        @Override
        public int portId() {
            return portId;
        }

        @Override
        public void send(MemorySegment request) {
            check();
            seq = request.get(U32, 8); // nlmsg_seq
            requestTypes.add(Short.toUnsignedInt(request.get(U16, 4))); // nlmsg_type
            requestFamilies.add(Byte.toUnsignedInt(request.get(ValueLayout.JAVA_BYTE, 16))); // sdiag_family
        }

        @Override
        public int receive(MemorySegment buffer) throws NetlinkException {
            check();
            if (seq < 0) {
                throw new IllegalStateException("receive before any request on fd=" + fd);
            }
            Step step = steps.poll();
            if (step == null) {
                throw new ErrnoException("recvmsg(fd=" + fd + ", NETLINK_SOCK_DIAG)", Errno.EAGAIN);
            }
            return switch (step) {
                case Failure f -> throw f.error();
                case Reply r -> deliver(r.datagram(), buffer);
            };
        }

        private int deliver(byte[] datagram, MemorySegment buffer) throws MalformedReplyException {
            if (datagram.length > buffer.byteSize()) {
                throw new MalformedReplyException("truncated datagram", 0, "the kernel sent " + datagram.length
                        + " bytes but the receive buffer holds " + buffer.byteSize() + "; the rest is lost");
            }
            MemorySegment.copy(MemorySegment.ofArray(datagram), 0, buffer, 0, datagram.length);
            long off = 0;
            while (off + 16 <= datagram.length) {
                long len = Integer.toUnsignedLong(buffer.get(U32, off));
                if (len < 16) {
                    break;
                }
                buffer.set(U32, off + 8, seq);
                buffer.set(U32, off + 12, portId);
                off += (len + 3) & ~3L;
            }
            return datagram.length;
        }

        private void check() {
            if (closed) {
                throw new IllegalStateException("scripted transport fd=" + fd + " is closed");
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
