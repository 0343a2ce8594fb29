package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.netlink.AddressFamily;
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
        assertThat(RequestEncoder.extensions(false)).isZero();
        assertThat(RequestEncoder.extensions(true)).isEqualTo(0x4b);
    }

    @Test
    void extensionBitsMustFitAByte() {
        MemorySegment dst = MemorySegment.ofArray(new byte[RequestEncoder.SIZE]);
        assertThatThrownBy(() -> new RequestEncoder(1).encode(dst, AddressFamily.INET, 2, 0x100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idiag_ext 0x100 does not fit a __u8");
    }
}
