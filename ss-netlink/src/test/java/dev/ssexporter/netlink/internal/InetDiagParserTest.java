package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Fixtures.DONE;
import static dev.ssexporter.netlink.internal.Fixtures.PORT_ID;
import static dev.ssexporter.netlink.internal.Fixtures.SEQ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.MalformedReplyException;
import dev.ssexporter.netlink.MemInfo;
import dev.ssexporter.netlink.NetlinkException;
import dev.ssexporter.netlink.SkMemInfo;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import dev.ssexporter.netlink.TcpState;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InetDiagParserTest {
    private final InetDiagParser parser = new InetDiagParser();
    private final List<SocketRecord> records = new ArrayList<>();

    private InetDiagParser.Outcome parse(String hex) throws NetlinkException {
        return parse(hex, AddressFamily.INET);
    }

    private InetDiagParser.Outcome parse(String hex, AddressFamily family) throws NetlinkException {
        MemorySegment buffer = Hex.segment(hex);
        return parser.parse(buffer, (int) buffer.byteSize(), SEQ, PORT_ID, family, records::add);
    }

    private InetDiagParser.Outcome parse(String hex, DumpRequest request) throws NetlinkException {
        MemorySegment buffer = Hex.segment(hex);
        return parser.parse(buffer, (int) buffer.byteSize(), SEQ, PORT_ID, request, records::add);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // a literal: no DNS lookup
    }

    @Test
    void ipv4SocketWithEveryAttributeAndAnOldKernelsTcpInfo() throws Exception {
        InetDiagParser.Outcome outcome = parse(Fixtures.IPV4_ESTABLISHED + DONE);

        assertThat(outcome).isEqualTo(new InetDiagParser.Outcome(true, false, 2, 1, 0));
        assertThat(records).hasSize(1);
        SocketRecord r = records.getFirst();
        assertThat(r.family()).isEqualTo(AddressFamily.INET);
        assertThat(r.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(r.localAddress()).isInstanceOf(Inet4Address.class).isEqualTo(ip("10.0.0.1"));
        assertThat(r.localPort()).isEqualTo(8080);
        assertThat(r.remoteAddress()).isEqualTo(ip("192.168.1.2"));
        assertThat(r.remotePort()).isEqualTo(50000);
        assertThat(r.interfaceIndex()).isEqualTo(3);
        assertThat(r.cookie()).isEqualTo(0x1_1234_5678L);
        assertThat(r.inode()).isEqualTo(12345);
        assertThat(r.uid()).isEqualTo(1000);
        assertThat(r.rqueue()).isEqualTo(5);
        assertThat(r.wqueue()).isEqualTo(6);
        assertThat(r.timer()).isEqualTo(1);
        assertThat(r.retrans()).isEqualTo(2);
        assertThat(r.expiresMillis()).isEqualTo(1000);
        assertThat(r.congestion()).isEqualTo("cubic");
        assertThat(r.memInfo()).isEqualTo(new MemInfo(1, 2, 3, 4));
        assertThat(r.skMemInfo()).isEqualTo(new SkMemInfo(11, 12, 13, 14, 15, 16, 17, 18, 19));

        TcpInfo info = r.tcpInfo();
        assertThat(info.length()).isEqualTo(104);
        assertThat(info.get(TcpInfoField.STATE)).isEqualTo(1);
        assertThat(info.get(TcpInfoField.OPTIONS)).isEqualTo(7);
        assertThat(info.get(TcpInfoField.SND_WSCALE)).isEqualTo(7);
        assertThat(info.get(TcpInfoField.RCV_WSCALE)).isEqualTo(10);
        assertThat(info.get(TcpInfoField.DELIVERY_RATE_APP_LIMITED)).isEqualTo(1);
        assertThat(info.get(TcpInfoField.FASTOPEN_CLIENT_FAIL)).isEqualTo(1);
        assertThat(info.get(TcpInfoField.RTO)).isEqualTo(200_000);
        assertThat(info.get(TcpInfoField.SND_MSS)).isEqualTo(1448);
        assertThat(info.get(TcpInfoField.RTT)).isEqualTo(12345);
        assertThat(info.get(TcpInfoField.RTTVAR)).isEqualTo(678);
        assertThat(info.get(TcpInfoField.SND_SSTHRESH)).isEqualTo(2147483647L);
        assertThat(info.get(TcpInfoField.SND_CWND)).isEqualTo(10);
        assertThat(info.get(TcpInfoField.TOTAL_RETRANS)).isEqualTo(4);
        // An old kernel's struct ends at tcpi_total_retrans: later members are absent, not zero.
        assertThat(info.has(TcpInfoField.PACING_RATE)).isFalse();
        assertThat(info.find(TcpInfoField.DATA_SEGS_IN)).isEmpty();
        assertThat(TcpInfo.presentCount(104)).isEqualTo(TcpInfoField.TOTAL_RETRANS.ordinal() + 1);
    }

    @Test
    void ipv6SocketWithANewKernelsLongerTcpInfoAndShortSkMemInfo() throws Exception {
        InetDiagParser.Outcome outcome = parse(Fixtures.IPV6_LISTEN + DONE, AddressFamily.INET6);

        assertThat(outcome).isEqualTo(new InetDiagParser.Outcome(true, false, 2, 1, 0));
        SocketRecord r = records.getFirst();
        assertThat(r.family()).isEqualTo(AddressFamily.INET6);
        assertThat(r.state()).isEqualTo(TcpState.LISTEN);
        assertThat(r.localAddress()).isInstanceOf(Inet6Address.class).isEqualTo(ip("2001:db8::1"));
        assertThat(r.localPort()).isEqualTo(443);
        assertThat(r.remoteAddress()).isInstanceOf(Inet6Address.class).isEqualTo(ip("::"));
        assertThat(r.remotePort()).isZero();
        assertThat(r.cookie()).isEqualTo(0x7fff_ffff_ffff_ffffL);
        assertThat(r.uid()).isEqualTo(-1);
        assertThat(r.inode()).isEqualTo(0xffff_ffffL);
        assertThat(r.wqueue()).isEqualTo(128);
        assertThat(r.congestion()).isNull();
        assertThat(r.memInfo()).isNull();
        assertThat(r.skMemInfo()).isEqualTo(new SkMemInfo(0, 131072, 0, 16384, 0, 0, 0, 0, -1));

        TcpInfo info = r.tcpInfo();
        assertThat(info.length()).isEqualTo(280);
        assertThat(info.get(TcpInfoField.RTT)).isEqualTo(12345);
        assertThat(info.get(TcpInfoField.PACING_RATE)).isEqualTo(1L << 32);
        assertThat(info.get(TcpInfoField.MAX_PACING_RATE)).isEqualTo(-1L); // ~0ULL
        assertThat(info.get(TcpInfoField.BYTES_ACKED)).isEqualTo(1000);
        assertThat(info.get(TcpInfoField.BYTES_RECEIVED)).isEqualTo(2000);
        assertThat(info.get(TcpInfoField.MIN_RTT)).isEqualTo(100);
        assertThat(info.get(TcpInfoField.DATA_SEGS_IN)).isEqualTo(5);
        assertThat(info.get(TcpInfoField.DATA_SEGS_OUT)).isEqualTo(6);
        assertThat(info.get(TcpInfoField.DELIVERED)).isEqualTo(7);
        assertThat(info.get(TcpInfoField.BYTES_SENT)).isEqualTo(3000);
        assertThat(info.get(TcpInfoField.SND_WND)).isEqualTo(65536);
        assertThat(info.get(TcpInfoField.RCV_WND)).isEqualTo(65483);
        assertThat(info.get(TcpInfoField.TOTAL_RTO)).isEqualTo(1);
        assertThat(info.get(TcpInfoField.TOTAL_RTO_RECOVERIES)).isEqualTo(2);
        assertThat(info.get(TcpInfoField.TOTAL_RTO_TIME)).isEqualTo(300);
        assertThat(info.get(TcpInfoField.RECEIVED_CE)).isEqualTo(8);
        assertThat(info.get(TcpInfoField.RECEIVED_CE_BYTES)).isEqualTo(9);
        for (TcpInfoField f : TcpInfoField.values()) {
            assertThat(info.has(f)).as("%s in a 280-byte tcp_info", f).isTrue();
        }
    }

    @Test
    void ipv4MappedAddressesOfAnIpv6SocketBecomeIpv4() throws Exception {
        parse(Fixtures.IPV6_MAPPED + DONE, AddressFamily.INET6);

        SocketRecord r = records.getFirst();
        assertThat(r.family()).isEqualTo(AddressFamily.INET6);
        assertThat(r.localAddress()).isInstanceOf(Inet4Address.class).isEqualTo(ip("127.0.0.1"));
        assertThat(r.remoteAddress()).isInstanceOf(Inet4Address.class).isEqualTo(ip("127.0.0.2"));
        assertThat(r.localPort()).isEqualTo(5000);
        assertThat(r.remotePort()).isEqualTo(40000);
        assertThat(r.inode()).isEqualTo(123456789);
        assertThat(r.cookie()).isEqualTo(42);
        assertThat(r.tcpInfo()).isNull();
        assertThat(r.hasTcpInfo()).isFalse();
    }

    @Test
    void socketsOnTheSameAddressesShareTheirInstancesAcrossDumpsAndStillParseAsAFreshParserDoes()
            throws Exception {
        String reply = Fixtures.IPV6_MAPPED + Fixtures.IPV6_LISTEN + Fixtures.IPV6_MAPPED + DONE;
        parse(reply, AddressFamily.INET6);
        parse(reply, AddressFamily.INET6);

        assertThat(records).hasSize(6);
        for (int i : new int[] {2, 3, 4, 5}) {
            SocketRecord first = records.get(i == 4 ? 1 : 0); // the listener, or the mapped socket
            assertThat(records.get(i).localAddress()).as("record %d", i).isSameAs(first.localAddress());
            assertThat(records.get(i).remoteAddress()).as("record %d", i).isSameAs(first.remoteAddress());
        }
        List<SocketRecord> fresh = new ArrayList<>();
        MemorySegment buffer = Hex.segment(reply);
        new InetDiagParser().parse(buffer, (int) buffer.byteSize(), SEQ, PORT_ID, AddressFamily.INET6, fresh::add);
        assertThat(records.subList(3, 6)).isEqualTo(fresh);
    }

    @Test
    void multipartDumpOverTwoBuffers() throws Exception {
        InetDiagParser.Outcome first = parse(Fixtures.bareIpv4TimeWait(1001) + Fixtures.bareIpv4TimeWait(1002));
        assertThat(first).isEqualTo(new InetDiagParser.Outcome(false, false, 2, 2, 0));

        InetDiagParser.Outcome second = parse(Fixtures.bareIpv4TimeWait(1003) + DONE);
        assertThat(second).isEqualTo(new InetDiagParser.Outcome(true, false, 2, 1, 0));

        assertThat(records).extracting(SocketRecord::localPort).containsExactly(1001, 1002, 1003);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(TcpState.TIME_WAIT);
            assertThat(r.timer()).isEqualTo(3);
            assertThat(r.expiresMillis()).isEqualTo(10_000);
            assertThat(r.inode()).isZero();
        });
    }

    @Test
    void bytesAfterNlmsgDoneAreIgnored() throws Exception {
        InetDiagParser.Outcome outcome = parse(DONE + Fixtures.bareIpv4TimeWait(1001));
        assertThat(outcome).isEqualTo(new InetDiagParser.Outcome(true, false, 1, 0, 0));
        assertThat(records).isEmpty();
    }

    @Test
    void aBothFamiliesReplyHasBothFamiliesInTcpDiagGetSockMessages() throws Exception {
        InetDiagParser.Outcome outcome = parse(Fixtures.asTcpDiagGetSock(Fixtures.IPV6_LISTEN)
                + Fixtures.asTcpDiagGetSock(Fixtures.IPV4_ESTABLISHED)
                + Fixtures.asTcpDiagGetSock(Fixtures.IPV6_MAPPED) + DONE, DumpRequest.BOTH_FAMILIES);

        assertThat(outcome).isEqualTo(new InetDiagParser.Outcome(true, false, 4, 3, 0));
        assertThat(records).extracting(SocketRecord::family)
                .as("in the kernel's table order, families mixed")
                .containsExactly(AddressFamily.INET6, AddressFamily.INET, AddressFamily.INET6);
        assertThat(records).extracting(SocketRecord::localPort).containsExactly(443, 8080, 5000);
        assertThat(records.get(1).tcpInfo().get(TcpInfoField.RTT)).isEqualTo(12345);
    }

    @Test
    void aSocketMessageOfTheOtherRequestTypeIsMalformed() {
        assertThatThrownBy(() -> parse(Fixtures.IPV4_ESTABLISHED + DONE, DumpRequest.BOTH_FAMILIES))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("netlink message at offset 0: unexpected nlmsg_type 20 in a TCPDIAG_GETSOCK dump"
                        + " (AF_INET and AF_INET6)");
        assertThatThrownBy(() -> parse(Fixtures.asTcpDiagGetSock(Fixtures.IPV4_ESTABLISHED) + DONE))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("netlink message at offset 0: unexpected nlmsg_type 18 in a SOCK_DIAG_BY_FAMILY dump"
                        + " (AF_INET)");
    }

    @Test
    void aKernelWithoutTcpDiagGetSockRefusesItWithEopnotsupp() {
        assertThatThrownBy(() -> parse(Fixtures.ERROR_EOPNOTSUPP_TCPDIAG, DumpRequest.BOTH_FAMILIES))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(95))
                .hasMessage("TCPDIAG_GETSOCK dump (AF_INET and AF_INET6) failed: EOPNOTSUPP (errno 95)");
        assertThat(records).isEmpty();
    }

    @Test
    void nlmsgErrorBecomesErrnoExceptionNamingTheDump() {
        assertThatThrownBy(() -> parse(Fixtures.ERROR_EPERM, AddressFamily.INET6))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(1);
                    assertThat(e.errnoName()).isEqualTo("EPERM");
                    assertThat(e.call()).isEqualTo("SOCK_DIAG_BY_FAMILY dump (AF_INET6)");
                })
                .hasMessage("SOCK_DIAG_BY_FAMILY dump (AF_INET6) failed: EPERM (errno 1)");
    }

    /** Found by InetDiagParserFuzzTest: the error was read through the whole struct's VarHandle. */
    @Test
    void nlmsgErrorWithOnlyTheErrorAndNoEchoedHeaderIsAnErrnoException() {
        String bare = "14000000" + // nlmsg_len = 20 = 16 + 4: the error, no echoed request header
                "0200" +           // nlmsg_type = NLMSG_ERROR
                "0000" +           // nlmsg_flags
                "07000000" +       // nlmsg_seq = 7
                "d2040000" +       // nlmsg_pid = 1234
                "f4ffffff";        // error = -12 (-ENOMEM)
        assertThatThrownBy(() -> parse(bare))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("SOCK_DIAG_BY_FAMILY dump (AF_INET) failed: ENOMEM (errno 12)");
    }

    @Test
    void nlmsgErrorShorterThanItsErrorIsMalformed() {
        String cut = "12000000" + "0200" + "0000" + "07000000" + "d2040000" + "f4ff" + "0000"; // nlmsg_len = 18
        assertThatThrownBy(() -> parse(cut))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("truncated nlmsgerr at offset 16: need 4 bytes, 2 left");
    }

    @Test
    void nlmsgErrorZeroIsAnAcknowledgementAndPassedOver() throws Exception {
        String ack = "24000000" + "0200" + "0000" + "07000000" + "d2040000" // NLMSG_ERROR, 36 bytes
                + "00000000" // error = 0: ack
                + "48000000" + "1400" + "0103" + "07000000" + "00000000"; // the request's header
        assertThat(parse(ack + DONE)).isEqualTo(new InetDiagParser.Outcome(true, false, 2, 0, 0));
    }

    @Test
    void negativeNlmsgDoneBecomesErrnoException() {
        assertThatThrownBy(() -> parse(Fixtures.bareIpv4TimeWait(1001) + Fixtures.done(0x02, -12)))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("SOCK_DIAG_BY_FAMILY dump (AF_INET) failed: ENOMEM (errno 12)");
        assertThat(records).hasSize(1); // streamed before the error
    }

    @Test
    void dumpIntrFlagMarksTheOutcomeInterrupted() throws Exception {
        InetDiagParser.Outcome outcome = parse(Fixtures.bareIpv4TimeWait(1001) + Fixtures.done(0x02 | 0x10, 0));
        assertThat(outcome).isEqualTo(new InetDiagParser.Outcome(true, true, 2, 1, 0));
    }

    @Test
    void messagesOfAnotherRequestOrPortAreSkippedAndCounted() throws Exception {
        String otherSeq = Fixtures.bareIpv4TimeWait(1001).replaceFirst("07000000", "08000000");
        String otherPort = Fixtures.bareIpv4TimeWait(1002).replaceFirst("d2040000", "d3040000");
        InetDiagParser.Outcome outcome = parse(otherSeq + otherPort + Fixtures.bareIpv4TimeWait(1003) + DONE);

        assertThat(outcome).isEqualTo(new InetDiagParser.Outcome(true, false, 4, 1, 2));
        assertThat(records).extracting(SocketRecord::localPort).containsExactly(1003);
    }

    @Test
    void foreignNlmsgDoneDoesNotEndTheDump() throws Exception {
        String staleDone = DONE.replaceFirst("07000000", "06000000");
        assertThat(parse(staleDone + Fixtures.bareIpv4TimeWait(1001)))
                .isEqualTo(new InetDiagParser.Outcome(false, false, 2, 1, 1));
    }

    @Test
    void truncatedMessageHeader() {
        String hex = Fixtures.bareIpv4TimeWait(1001) + "5800000014000200"; // 8 bytes of a second header
        assertThatThrownBy(() -> parse(hex))
                .isInstanceOfSatisfying(MalformedReplyException.class, e -> assertThat(e.offset()).isEqualTo(88))
                .hasMessage("truncated nlmsghdr at offset 88: need 16 bytes, 8 left");
    }

    @Test
    void truncatedInetDiagMsg() {
        String hex = "38000000" + "1400" + "0200" + "07000000" + "d2040000" // nlmsg_len = 56: 40 bytes of payload
                + Fixtures.bareIpv4TimeWait(1001).substring(32, 32 + 80);  // the first 40 bytes of an inet_diag_msg
        assertThatThrownBy(() -> parse(hex))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("truncated inet_diag_msg at offset 16: need 72 bytes, 40 left");
    }

    @Test
    void nlmsgLenBeyondTheBuffer() {
        String hex = Fixtures.bareIpv4TimeWait(1001).replaceFirst("58000000", "59000000");
        assertThatThrownBy(() -> parse(hex))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("truncated netlink message at offset 0: nlmsg_len 89, but 88 bytes left");
    }

    @Test
    void nlmsgLenZeroFailsInsteadOfLooping() {
        String hex = DONE.replaceFirst("14000000", "00000000");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> parse(hex))
                        .isInstanceOf(MalformedReplyException.class)
                        .hasMessage("nlmsghdr at offset 0: nlmsg_len 0 is smaller than the 16-byte header"));
    }

    @Test
    void nlmsgLenHugeUnsignedIsNotNegative() {
        String hex = DONE.replaceFirst("14000000", "ffffffff");
        assertThatThrownBy(() -> parse(hex))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("truncated netlink message at offset 0: nlmsg_len 4294967295, but 20 bytes left");
    }

    /** The INET_DIAG_INFO attribute claims 4 bytes more than the rest of its message holds. */
    @Test
    void attributeLongerThanItsMessage() {
        // INFO (284) + SKMEMINFO (36) fill the 320 bytes after inet_diag_msg; claim 324 for INFO.
        String hex = Fixtures.IPV6_LISTEN.replace("1c010200", "44010200") + DONE;
        assertThatThrownBy(() -> parse(hex, AddressFamily.INET6))
                .isInstanceOf(MalformedReplyException.class)
                // message at 0, inet_diag_msg at 16, first attribute at 88; 408 - 88 = 320 bytes left
                .hasMessage("truncated rtattr type 2 at offset 88: rta_len 324, but 320 bytes left in the message");
    }

    /** The last attribute overruns its message although the buffer has more bytes (the next message). */
    @Test
    void attributeOverrunningIntoTheNextMessage() {
        String hex = Fixtures.IPV4_ESTABLISHED.replace("0500" + "0500" + "10", "0900" + "0500" + "10")
                + Fixtures.bareIpv4TimeWait(1001) + DONE;
        assertThatThrownBy(() -> parse(hex))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("truncated rtattr type 5 at offset 268: rta_len 9, but 8 bytes left in the message");
    }

    @Test
    void attributeShorterThanItsHeader() {
        String hex = Fixtures.IPV4_ESTABLISHED.replace("0a00" + "0400" + "6375", "0200" + "0400" + "6375");
        assertThatThrownBy(() -> parse(hex))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("rtattr type 4 at offset 88: rta_len 2 is smaller than the 4-byte header");
    }

    @Test
    void trailingBytesTooShortForAnAttribute() {
        String hex = "5a000000" // nlmsg_len = 90: the 72-byte inet_diag_msg and 2 stray bytes
                + Fixtures.bareIpv4TimeWait(1001).substring(8)
                + "abcd"   // the 2 stray bytes
                + "0000";  // NLMSG_ALIGN padding to 92
        assertThatThrownBy(() -> parse(hex))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("truncated rtattr at offset 88: need 4 bytes, 2 left in the message");
    }

    @Test
    void shortMeminfoIsMalformed() {
        String hex = Fixtures.IPV4_ESTABLISHED.replace("1400" + "0100" + "01000000", "1000" + "0100" + "01000000");
        assertThatThrownBy(() -> parse(hex))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("INET_DIAG_MEMINFO at offset 100: payload 12 bytes, need 16");
    }

    @Test
    void unknownFamilyAndStateAreMalformed() {
        String badFamily = Fixtures.bareIpv4TimeWait(1001).replaceFirst("02060300", "07060300");
        assertThatThrownBy(() -> parse(badFamily))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("inet_diag_msg at offset 16: idiag_family 7 is neither AF_INET (2) nor AF_INET6 (10)");
        String badState = Fixtures.bareIpv4TimeWait(1001).replaceFirst("02060300", "02630300");
        assertThatThrownBy(() -> parse(badState))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("inet_diag_msg at offset 16: idiag_state 99 is outside the kernel's TCP states 1..13");
    }

    @Test
    void unexpectedMessageType() {
        String hex = DONE.replaceFirst("0300", "1000");
        assertThatThrownBy(() -> parse(hex))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("netlink message at offset 0: unexpected nlmsg_type 16 in a SOCK_DIAG_BY_FAMILY dump (AF_INET)");
    }

    @Test
    void congestionWithoutNulTakesThePayload() throws Exception {
        String hex = Fixtures.IPV4_ESTABLISHED.replace("0a00" + "0400" + "637562696300", "0a00" + "0400" + "72656e6f3132");
        parse(hex + DONE);
        assertThat(records.getFirst().congestion()).isEqualTo("reno12");
    }

    @Test
    void repeatedCongestionNamesAreSharedAndChangesSeen() throws Exception {
        String bbr = Fixtures.IPV4_ESTABLISHED.replace("637562696300", "626272000000");
        parse(Fixtures.IPV4_ESTABLISHED + Fixtures.IPV4_ESTABLISHED + bbr + Fixtures.IPV4_ESTABLISHED + DONE);
        assertThat(records).extracting(SocketRecord::congestion).containsExactly("cubic", "cubic", "bbr", "cubic");
        assertThat(records.get(0).congestion()).isSameAs(records.get(1).congestion());
    }

    @Test
    void everyTruncationOfAValidReplyFailsCleanly() {
        byte[] whole = Hex.bytes(Fixtures.IPV4_ESTABLISHED + Fixtures.IPV6_LISTEN + DONE);
        for (int length = 1; length < whole.length; length++) {
            MemorySegment buffer = MemorySegment.ofArray(whole);
            int n = length;
            try {
                InetDiagParser.Outcome o = parser.parse(buffer, n, SEQ, PORT_ID, AddressFamily.INET6, r -> { });
                // A cut exactly between messages is a valid partial buffer.
                assertThat(o.done()).as("length %d", n).isFalse();
                assertThat(n).as("only message boundaries parse").isIn(276, 276 + 408);
            } catch (MalformedReplyException e) {
                assertThat(e.offset()).isBetween(0L, (long) n);
            } catch (NetlinkException e) {
                throw new AssertionError("length " + n + ": " + e, e);
            }
        }
    }
}
