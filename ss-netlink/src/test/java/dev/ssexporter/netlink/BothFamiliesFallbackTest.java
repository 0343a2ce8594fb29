package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.netlink.internal.Errno;
import dev.ssexporter.netlink.internal.Replies;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a reader asks for both families, scripted through {@link ScriptedKernel}: one
 * {@code TCPDIAG_GETSOCK} request, or, on a kernel that refuses it, one {@code SOCK_DIAG_BY_FAMILY}
 * request per family from then on. A failure after sockets were delivered is never retried the
 * other way, which would deliver them twice.
 */
class BothFamiliesFallbackTest {
    private static final int TCPDIAG_GETSOCK = 18;
    private static final int SOCK_DIAG_BY_FAMILY = 20;
    private static final int AF_UNSPEC = 0;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    private static List<Integer> ports(List<SocketRecord> records) {
        return records.stream().map(SocketRecord::localPort).toList();
    }

    @Test
    void aKernelThatAnswersGetsOneRequestEveryTime() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .reply(Replies.asTcpDiagGetSock(Replies.timeWaits(2000, 2)), Replies.done())
                .reply(Replies.asTcpDiagGetSock(Replies.timeWaits(3000, 1)), Replies.done());
        try (SockDiagReader reader = SockDiagReader.open(kernel, true)) {
            assertThat(ports(reader.dumpAll(DumpQuery.all()))).containsExactly(2000, 2001);
            assertThat(ports(reader.dumpAll(DumpQuery.all()))).containsExactly(3000);
            assertThat(kernel.requestTypes).containsExactly(TCPDIAG_GETSOCK, TCPDIAG_GETSOCK);
            assertThat(kernel.requestFamilies).containsExactly(AF_UNSPEC, AF_UNSPEC);
            assertThat(kernel.pending()).isZero();
        }
    }

    @Test
    void aRefusalFallsBackToOneRequestPerFamilyForGood() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .reply(Replies.tcpDiagGetSockRefused())
                .reply(Replies.timeWaits(2000, 2), Replies.done()).reply(Replies.done())
                .reply(Replies.timeWaits(3000, 1), Replies.done()).reply(Replies.done());
        try (SockDiagReader reader = SockDiagReader.open(kernel, true)) {
            assertThat(ports(reader.dumpAll(DumpQuery.all()))).containsExactly(2000, 2001);
            assertThat(ports(reader.dumpAll(DumpQuery.all()))).containsExactly(3000);
            assertThat(kernel.requestTypes).containsExactly(TCPDIAG_GETSOCK,
                    SOCK_DIAG_BY_FAMILY, SOCK_DIAG_BY_FAMILY, SOCK_DIAG_BY_FAMILY, SOCK_DIAG_BY_FAMILY);
            assertThat(kernel.requestFamilies).containsExactly(AF_UNSPEC, AF_INET, AF_INET6, AF_INET, AF_INET6);
            assertThat(kernel.opened).as("a refusal leaves nothing queued: same socket").hasSize(1);
            assertThat(kernel.pending()).isZero();
        }
    }

    @Test
    void aFailureAfterSocketsArrivedFailsTheDumpWithoutFallingBack() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .reply(Replies.asTcpDiagGetSock(Replies.timeWaits(1000, 3)), Replies.error(12))
                .reply(Replies.asTcpDiagGetSock(Replies.timeWaits(2000, 1)), Replies.done());
        try (SockDiagReader reader = SockDiagReader.open(kernel, true)) {
            List<SocketRecord> partial = new ArrayList<>();
            assertThatThrownBy(() -> reader.dump(DumpQuery.all(), partial::add))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("TCPDIAG_GETSOCK dump (AF_INET and AF_INET6) failed: ENOMEM (errno 12)");
            assertThat(partial).hasSize(3);

            assertThat(ports(reader.dumpAll(DumpQuery.all()))).containsExactly(2000);
            assertThat(kernel.requestTypes).as("no per-family retry, which would repeat the three sockets")
                    .containsExactly(TCPDIAG_GETSOCK, TCPDIAG_GETSOCK);
            assertThat(kernel.opened).hasSize(2);
            assertThat(kernel.opened.getFirst().closed).isTrue();
        }
    }

    @Test
    void whenBothWaysFailTheDumpFailsAndTheNextOneTriesTheOneRequestAgain() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .reply(Replies.tcpDiagGetSockRefused())
                .reply(Replies.error(Errno.EPERM))
                .reply(Replies.asTcpDiagGetSock(Replies.timeWaits(2000, 1)), Replies.done());
        try (SockDiagReader reader = SockDiagReader.open(kernel, true)) {
            assertThatThrownBy(() -> reader.dumpAll(DumpQuery.all()))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("SOCK_DIAG_BY_FAMILY dump (AF_INET) failed: EPERM (errno 1)")
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement().extracting(Throwable::getMessage)
                            .isEqualTo("TCPDIAG_GETSOCK dump (AF_INET and AF_INET6) failed: EOPNOTSUPP (errno 95)"));

            assertThat(ports(reader.dumpAll(DumpQuery.all()))).containsExactly(2000);
            assertThat(kernel.requestTypes).containsExactly(TCPDIAG_GETSOCK, SOCK_DIAG_BY_FAMILY, TCPDIAG_GETSOCK);
        }
    }

    @Test
    void aTimeoutIsTheDumpsFailureNotARefusal() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel(); // no answer: the receive times out
        try (SockDiagReader reader = SockDiagReader.open(kernel, true)) {
            assertThatThrownBy(() -> reader.dumpAll(DumpQuery.all()))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("recvmsg(fd=100, NETLINK_SOCK_DIAG) failed: EAGAIN (errno 11)");
            assertThat(kernel.requestTypes).as("no per-family requests after a timeout").containsExactly(TCPDIAG_GETSOCK);

            kernel.reply(Replies.asTcpDiagGetSock(Replies.timeWaits(2000, 1)), Replies.done());
            assertThat(ports(reader.dumpAll(DumpQuery.all()))).containsExactly(2000);
            assertThat(kernel.requestTypes).containsExactly(TCPDIAG_GETSOCK, TCPDIAG_GETSOCK);
        }
    }

    @Test
    void anErrorOtherThanARefusalBeforeAnySocketDoesNotSwitchToPerFamily() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .reply(Replies.doneWithError(12))
                .reply(Replies.error(Errno.ENOBUFS))
                .reply(Replies.asTcpDiagGetSock(Replies.timeWaits(2000, 1)), Replies.done());
        try (SockDiagReader reader = SockDiagReader.open(kernel, true)) {
            assertThatThrownBy(() -> reader.dumpAll(DumpQuery.all()))
                    .hasMessage("TCPDIAG_GETSOCK dump (AF_INET and AF_INET6) failed: ENOMEM (errno 12)");
            assertThatThrownBy(() -> reader.dumpAll(DumpQuery.all()))
                    .hasMessage("TCPDIAG_GETSOCK dump (AF_INET and AF_INET6) failed: ENOBUFS (errno 105)");
            assertThat(ports(reader.dumpAll(DumpQuery.all()))).containsExactly(2000);
            assertThat(kernel.requestTypes).containsExactly(TCPDIAG_GETSOCK, TCPDIAG_GETSOCK, TCPDIAG_GETSOCK);
        }
    }

    @Test
    void einvalForTheRequestIsARefusalToo() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel()
                .reply(Replies.error(Errno.EINVAL))
                .reply(Replies.timeWaits(2000, 1), Replies.done()).reply(Replies.done());
        try (SockDiagReader reader = SockDiagReader.open(kernel, true)) {
            assertThat(ports(reader.dumpAll(DumpQuery.all()))).containsExactly(2000);
            assertThat(kernel.requestTypes).containsExactly(TCPDIAG_GETSOCK, SOCK_DIAG_BY_FAMILY, SOCK_DIAG_BY_FAMILY);
        }
    }

    @Test
    void aOneFamilyQueryIsOneSockDiagByFamilyRequest() throws Exception {
        ScriptedKernel kernel = new ScriptedKernel().reply(Replies.done());
        try (SockDiagReader reader = SockDiagReader.open(kernel, true)) {
            reader.dumpAll(DumpQuery.of(EnumSet.of(AddressFamily.INET6), EnumSet.allOf(TcpState.class)));
            assertThat(kernel.requestTypes).containsExactly(SOCK_DIAG_BY_FAMILY);
            assertThat(kernel.requestFamilies).containsExactly(AF_INET6);
        }
    }
}
