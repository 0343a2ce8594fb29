package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpExtension;
import dev.ssexporter.netlink.SocketFilter;
import dev.ssexporter.netlink.TcpState;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RequestEncoderTest {

    @Test
    void ipv6DumpOfEstablishedAndListenWithAllExtensions() {
        MemorySegment dst = MemorySegment.ofArray(new byte[RequestEncoder.SIZE]);
        dst.fill((byte) 0x5a); // the encoder must overwrite every byte
        int mask = TcpState.mask(EnumSet.of(TcpState.ESTABLISHED, TcpState.LISTEN));

        int seq = new RequestEncoder(41).encode(dst, AddressFamily.INET6, mask, RequestEncoder.ALL_EXTENSIONS);

        assertThat(seq).isEqualTo(41);
        assertThat(dst.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(Hex.bytes(
                "48000000" + // nlmsg_len = 72
                "1400" +     // nlmsg_type = SOCK_DIAG_BY_FAMILY (20)
                "0103" +     // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP (0x301)
                "29000000" + // nlmsg_seq = 41
                "00000000" + // nlmsg_pid = 0: the kernel fills in our port
                "0a" +       // sdiag_family = AF_INET6
                "06" +       // sdiag_protocol = IPPROTO_TCP
                "4b" +       // idiag_ext = MEMINFO(1<<0) | INFO(1<<1) | CONG(1<<3) | SKMEMINFO(1<<6)
                "00" +       // pad
                "02040000" + // idiag_states = 1<<ESTABLISHED(1) | 1<<LISTEN(10) = 0x402
                "00".repeat(48))); // id: ignored for dumps
    }

    @Test
    void sequenceNumbersIncrease() {
        MemorySegment dst = MemorySegment.ofArray(new byte[RequestEncoder.SIZE]);
        RequestEncoder encoder = new RequestEncoder(1);
        assertThat(encoder.encode(dst, AddressFamily.INET, 2, 0)).isEqualTo(1);
        assertThat(encoder.encode(dst, AddressFamily.INET, 2, 0)).isEqualTo(2);
        assertThat((int) NlMsgHdr.SEQ.get(dst, 0L)).isEqualTo(2);
    }

    @Test
    void extensionBitsPerAttribute() {
        assertThat(RequestEncoder.extensions(EnumSet.noneOf(DumpExtension.class))).isZero();
        assertThat(RequestEncoder.extensions(EnumSet.allOf(DumpExtension.class)))
                .isEqualTo(RequestEncoder.ALL_EXTENSIONS).isEqualTo(0x4b);
        assertThat(RequestEncoder.extensions(EnumSet.of(DumpExtension.INFO))).isEqualTo(0x02);     // 1 << (2 - 1)
        assertThat(RequestEncoder.extensions(EnumSet.of(DumpExtension.MEMINFO))).isEqualTo(0x01);  // 1 << (1 - 1)
        assertThat(RequestEncoder.extensions(EnumSet.of(DumpExtension.CONG))).isEqualTo(0x08);     // 1 << (4 - 1)
        assertThat(RequestEncoder.extensions(EnumSet.of(DumpExtension.SKMEMINFO))).isEqualTo(0x40); // 1 << (7 - 1)
    }

    @Test
    void aFilterProgramFollowsTheRequestAsBytecodeAttribute() {
        byte[] program = BytecodeCompiler.compile(SocketFilter.remotePorts(0, 1023));
        MemorySegment dst = MemorySegment.ofArray(new byte[RequestEncoder.size(program)]);
        dst.fill((byte) 0x5a);

        new RequestEncoder(7).encode(dst, AddressFamily.INET, 1 << 1, 0x02, program);

        assertThat(dst.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(Hex.bytes(
                "54000000" + // nlmsg_len = 84: 16 + 56 + 4 + 8
                "1400" + "0103" + "07000000" + "00000000" +
                "02" +       // AF_INET
                "06" +       // IPPROTO_TCP
                "02" +       // idiag_ext = INFO only
                "00" +
                "02000000" + // idiag_states = ESTABLISHED
                "00".repeat(48) +
                "0c00" +     // rta_len = 12: header + program
                "0100" +     // rta_type = INET_DIAG_REQ_BYTECODE
                "05080c00" + "0000ff03")); // D_LE 1023, rejecting
    }

    @Test
    void bothFamiliesInOneTcpDiagGetSockRequestWithAFilter() {
        byte[] program = BytecodeCompiler.compile(SocketFilter.remotePorts(0, 1023));
        assertThat(RequestEncoder.size(DumpRequest.BOTH_FAMILIES, program)).isEqualTo(88);
        assertThat(RequestEncoder.size(DumpRequest.BOTH_FAMILIES, new byte[0])).isEqualTo(RequestEncoder.MAX_SIZE);
        MemorySegment dst = MemorySegment.ofArray(new byte[88]);
        dst.fill((byte) 0x5a); // the encoder must overwrite every byte
        int mask = TcpState.mask(EnumSet.of(TcpState.ESTABLISHED, TcpState.LISTEN));

        int seq = new RequestEncoder(9).encode(dst, DumpRequest.BOTH_FAMILIES, mask, RequestEncoder.ALL_EXTENSIONS,
                program);

        assertThat(seq).isEqualTo(9);
        assertThat(dst.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(Hex.bytes(
                "58000000" + // nlmsg_len = 88: 16 + 60 + 4 + 8
                "1200" +     // nlmsg_type = TCPDIAG_GETSOCK (18): names the protocol
                "0103" +     // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
                "09000000" + // nlmsg_seq = 9
                "00000000" + // nlmsg_pid = 0
                // struct inet_diag_req
                "00" +       // idiag_family = AF_UNSPEC: a dump walks both families anyway
                "00" +       // idiag_src_len
                "00" +       // idiag_dst_len
                "4b" +       // idiag_ext = MEMINFO | INFO | CONG | SKMEMINFO
                "00".repeat(48) + // id: ignored for dumps
                "02040000" + // idiag_states = 1<<ESTABLISHED | 1<<LISTEN
                "00000000" + // idiag_dbs
                "0c00" +     // rta_len = 12
                "0100" +     // rta_type = INET_DIAG_REQ_BYTECODE
                "05080c00" + "0000ff03")); // D_LE 1023, rejecting
    }

    @Test
    void programsMustBeWholeOps() {
        MemorySegment dst = MemorySegment.ofArray(new byte[200]);
        assertThatThrownBy(() -> new RequestEncoder(1).encode(dst, AddressFamily.INET, 2, 0, new byte[6]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a filter program of 6 bytes is not a multiple of 4 up to 65528");
    }

    @Test
    void extensionBitsMustFitAByte() {
        MemorySegment dst = MemorySegment.ofArray(new byte[RequestEncoder.SIZE]);
        assertThatThrownBy(() -> new RequestEncoder(1).encode(dst, AddressFamily.INET, 2, 0x100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idiag_ext 0x100 does not fit a __u8");
    }
}
