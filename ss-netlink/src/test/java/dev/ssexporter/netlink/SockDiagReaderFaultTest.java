package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.netlink.internal.Errno;
import dev.ssexporter.netlink.internal.Replies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kernel faults in the middle of a dump, scripted through {@link ScriptedKernel}: the reader must
 * fail the whole dump with the documented exception (never return a partial dump as complete),
 * drop the socket that may still hold the rest of the failed dump, and serve the next dump from a
 * fresh one. {@code NLM_F_DUMP_INTR} is not a failure: the dump is returned, flagged.
 */
class SockDiagReaderFaultTest {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    /** A clean dump of both families: two sockets over IPv4, none over IPv6. */
    private static void scriptCleanDump(ScriptedKernel kernel) {
        kernel.reply(Replies.timeWaits(2000, 2), Replies.done()).reply(Replies.done());
    }

    /** Runs a dump that must fail; returns what reached the sink before it failed. */
    private static List<SocketRecord> failingDump(SockDiagReader reader, Class<? extends NetlinkException> type,
                                                  String message) {
        List<SocketRecord> partial = new ArrayList<>();
        assertThatThrownBy(() -> reader.dump(DumpQuery.all(), partial::add))
                .isInstanceOf(type)
                .hasMessage(message);
        return partial;
    }

    /** The next dump works, on a socket other than the failed one, and the failed one is closed. */
    private static void assertRecovers(SockDiagReader reader, ScriptedKernel kernel) throws Exception {
        int before = kernel.opened.size();
        scriptCleanDump(kernel);
        List<SocketRecord> got = reader.dumpAll(DumpQuery.all());
        assertThat(got).extracting(SocketRecord::localPort).containsExactly(2000, 2001);
        assertThat(kernel.opened).as("a fresh socket after the failure").hasSize(before + 1);
        assertThat(kernel.opened.subList(0, before)).allMatch(t -> t.closed, "every earlier socket is closed");
        assertThat(kernel.opened.getLast().closed).isFalse();
        assertThat(kernel.pending()).isZero();
    }

    @Test
    void anErrorReplyInTheMiddleOfADumpFailsItAndTheNextDumpReopens() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .reply(Replies.timeWaits(1000, 3), Replies.error(12));
        try (SockDiagReader reader = SockDiagReader.open(kernel)) {
            List<SocketRecord> partial = failingDump(reader, ErrnoException.class,
                    "SOCK_DIAG_BY_FAMILY dump (AF_INET) failed: ENOMEM (errno 12)");
            assertThat(partial).as("what the sink saw before the error; the caller discards it").hasSize(3);
            assertThat(kernel.requestFamilies).as("IPv6 is not asked after IPv4 failed").containsExactly(AF_INET);
            assertRecovers(reader, kernel);
        }
    }

    @Test
    void enobufsFromRecvmsgInTheMiddleOfADumpFailsItAndTheNextDumpReopens() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .reply(Replies.timeWaits(1000, 3))
                .fail(new ErrnoException("recvmsg(fd=100, NETLINK_SOCK_DIAG)", Errno.ENOBUFS));
        try (SockDiagReader reader = SockDiagReader.open(kernel)) {
            List<SocketRecord> partial = failingDump(reader, ErrnoException.class,
                    "recvmsg(fd=100, NETLINK_SOCK_DIAG) failed: ENOBUFS (errno 105)");
            assertThat(partial).hasSize(3);
            assertRecovers(reader, kernel);
        }
    }

    @Test
    void anErrorInTheSecondFamilyFailsTheWholeDump() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .reply(Replies.timeWaits(1000, 2), Replies.done())
                .reply(Replies.doneWithError(Errno.EPERM));
        try (SockDiagReader reader = SockDiagReader.open(kernel)) {
            List<SocketRecord> partial = failingDump(reader, ErrnoException.class,
                    "SOCK_DIAG_BY_FAMILY dump (AF_INET6) failed: EPERM (errno 1)");
            assertThat(partial).as("the IPv4 half reached the sink, yet the dump failed").hasSize(2);
            assertThat(kernel.requestFamilies).containsExactly(AF_INET, AF_INET6);
            assertRecovers(reader, kernel);
        }
    }

    @Test
    void aTruncatedDatagramFailsTheDump() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .fail(new MalformedReplyException("truncated datagram", 0,
                        "the kernel sent 70000 bytes but the receive buffer holds 65536; the rest is lost"));
        try (SockDiagReader reader = SockDiagReader.open(kernel)) {
            failingDump(reader, MalformedReplyException.class, "truncated datagram at offset 0: the kernel sent 70000"
                    + " bytes but the receive buffer holds 65536; the rest is lost");
            assertRecovers(reader, kernel);
        }
    }

    @Test
    void aReplyCutInsideAMessageFailsTheDump() throws Exception {
        byte[] sockets = Replies.timeWaits(1000, 2);
        byte[] cut = Arrays.copyOf(sockets, sockets.length - 10);
        ScriptedKernel kernel = new ScriptedKernel().reply(cut);
        try (SockDiagReader reader = SockDiagReader.open(kernel)) {
            List<SocketRecord> partial = failingDump(reader, MalformedReplyException.class,
                    "truncated netlink message at offset 88: nlmsg_len 88, but 78 bytes left");
            assertThat(partial).hasSize(1);
            assertRecovers(reader, kernel);
        }
    }

    @Test
    void aKernelThatStopsAnsweringTimesOutInsteadOfHanging() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel().reply(Replies.timeWaits(1000, 1)); // then silence
        try (SockDiagReader reader = SockDiagReader.open(kernel)) {
            failingDump(reader, ErrnoException.class, "recvmsg(fd=100, NETLINK_SOCK_DIAG) failed: EAGAIN (errno 11)");
            assertRecovers(reader, kernel);
        }
    }

    @Test
    void anInterruptedDumpIsReturnedFlaggedOnTheSameSocket() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .reply(Replies.timeWaits(1000, 2), Replies.done(Replies.MULTI | Replies.DUMP_INTR))
                .reply(Replies.done());
        try (SockDiagReader reader = SockDiagReader.open(kernel)) {
            List<SocketRecord> got = new ArrayList<>();
            DumpStats stats = reader.dump(DumpQuery.all(), got::add);
            assertThat(stats.interrupted()).isTrue();
            assertThat(stats.sockets()).isEqualTo(2);
            assertThat(got).hasSize(2);

            scriptCleanDump(kernel);
            DumpStats next = reader.dump(DumpQuery.all(), r -> { });
            assertThat(next.interrupted()).as("the flag belongs to one dump").isFalse();
            assertThat(kernel.opened).as("no reopen: an interrupted dump is not a failure").hasSize(1);
        }
    }

    @Test
    void aFailedReopenFailsThatDumpAndTheOneAfterItTriesAgain() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .fail(new ErrnoException("recvmsg(fd=100, NETLINK_SOCK_DIAG)", Errno.ENOBUFS));
        try (SockDiagReader reader = SockDiagReader.open(kernel)) {
            kernel.failNextOpen(new ErrnoException("socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_SOCK_DIAG)", 24));
            failingDump(reader, ErrnoException.class, "recvmsg(fd=100, NETLINK_SOCK_DIAG) failed: ENOBUFS (errno 105)");
            failingDump(reader, ErrnoException.class,
                    "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_SOCK_DIAG) failed: EMFILE (errno 24)");
            assertRecovers(reader, kernel);
        }
    }

    @Test
    void aSinkThatThrowsEndsTheDumpAndTheSocketIsReplaced() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel().reply(Replies.timeWaits(1000, 3));
        try (SockDiagReader reader = SockDiagReader.open(kernel)) {
            assertThatThrownBy(() -> reader.dump(DumpQuery.all(), r -> {
                throw new IllegalStateException("sink full");
            })).isInstanceOf(IllegalStateException.class).hasMessage("sink full");
            assertThat(kernel.opened.getFirst().closed).as("the socket may hold the rest of the dump").isTrue();
            assertRecovers(reader, kernel);
        }
    }
}
