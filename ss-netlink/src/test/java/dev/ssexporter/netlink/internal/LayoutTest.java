package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Pins every struct layout to the C {@code sizeof} and {@code offsetof} of the uapi headers (x86-64). */
class LayoutTest {

    private static long offset(StructLayout layout, String... path) {
        PathElement[] p = new PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            p[i] = PathElement.groupElement(path[i]);
        }
        return layout.byteOffset(p);
    }

    private static long size(StructLayout layout, String member) {
        return layout.select(PathElement.groupElement(member)).byteSize();
    }

    @Test
    void linuxDirent64() {
        assertThat(offset(LinuxDirent64.LAYOUT, "d_ino")).isZero();
        assertThat(offset(LinuxDirent64.LAYOUT, "d_off")).isEqualTo(8);
        assertThat(offset(LinuxDirent64.LAYOUT, "d_reclen")).isEqualTo(16);
        assertThat(offset(LinuxDirent64.LAYOUT, "d_type")).isEqualTo(18);
        assertThat(LinuxDirent64.NAME_OFFSET).as("offsetof(struct linux_dirent64, d_name)").isEqualTo(19);
    }

    @Test
    void statx() {
        assertThat(Statx.LAYOUT.byteSize()).as("sizeof(struct statx)").isEqualTo(256);
        assertThat(offset(Statx.LAYOUT, "stx_mask")).isZero();
        assertThat(offset(Statx.LAYOUT, "stx_mode")).isEqualTo(28);
        assertThat(offset(Statx.LAYOUT, "stx_ino")).isEqualTo(32);
        assertThat(offset(Statx.LAYOUT, "stx_size")).isEqualTo(40);
        assertThat(offset(Statx.LAYOUT, "stx_dev_major")).isEqualTo(136);
        assertThat(offset(Statx.LAYOUT, "stx_dev_minor")).isEqualTo(140);
    }

    @Test
    void nlmsghdr() {
        assertThat(NlMsgHdr.LAYOUT.byteSize()).isEqualTo(16);
        assertThat(offset(NlMsgHdr.LAYOUT, "nlmsg_len")).isZero();
        assertThat(offset(NlMsgHdr.LAYOUT, "nlmsg_type")).isEqualTo(4);
        assertThat(offset(NlMsgHdr.LAYOUT, "nlmsg_flags")).isEqualTo(6);
        assertThat(offset(NlMsgHdr.LAYOUT, "nlmsg_seq")).isEqualTo(8);
        assertThat(offset(NlMsgHdr.LAYOUT, "nlmsg_pid")).isEqualTo(12);
        assertThat(NlMsgHdr.align(0)).isZero();
        assertThat(NlMsgHdr.align(1)).isEqualTo(4);
        assertThat(NlMsgHdr.align(20)).isEqualTo(20);
        assertThat(NlMsgHdr.align(21)).isEqualTo(24);
    }

    @Test
    void nlmsgerr() {
        assertThat(NlMsgErr.LAYOUT.byteSize()).isEqualTo(20);
        assertThat(offset(NlMsgErr.LAYOUT, "error")).isZero();
        assertThat(offset(NlMsgErr.LAYOUT, "msg")).isEqualTo(4);
    }

    @Test
    void inetDiagBcOp() {
        assertThat(InetDiagBcOp.LAYOUT.byteSize()).isEqualTo(4);
        assertThat(offset(InetDiagBcOp.LAYOUT, "code")).isZero();
        assertThat(offset(InetDiagBcOp.LAYOUT, "yes")).isEqualTo(1);
        assertThat(offset(InetDiagBcOp.LAYOUT, "no")).isEqualTo(2);
        assertThat(size(InetDiagBcOp.LAYOUT, "no")).isEqualTo(2);
    }

    @Test
    void inetDiagHostcond() {
        // sizeof is 8: the int port is 4-aligned after two bytes; addr[0] adds nothing
        assertThat(InetDiagHostcond.LAYOUT.byteSize()).isEqualTo(8);
        assertThat(offset(InetDiagHostcond.LAYOUT, "family")).isZero();
        assertThat(offset(InetDiagHostcond.LAYOUT, "prefix_len")).isEqualTo(1);
        assertThat(offset(InetDiagHostcond.LAYOUT, "port")).isEqualTo(4);
        assertThat(InetDiagHostcond.ADDR_OFFSET).isEqualTo(8);
    }

    @Test
    void sockaddrNl() {
        assertThat(SockaddrNl.LAYOUT.byteSize()).isEqualTo(12);
        assertThat(offset(SockaddrNl.LAYOUT, "nl_family")).isZero();
        assertThat(offset(SockaddrNl.LAYOUT, "nl_pad")).isEqualTo(2);
        assertThat(offset(SockaddrNl.LAYOUT, "nl_pid")).isEqualTo(4);
        assertThat(offset(SockaddrNl.LAYOUT, "nl_groups")).isEqualTo(8);
    }

    @Test
    void inetDiagSockId() {
        assertThat(InetDiagSockId.LAYOUT.byteSize()).isEqualTo(48);
        assertThat(offset(InetDiagSockId.LAYOUT, "idiag_sport")).isZero();
        assertThat(offset(InetDiagSockId.LAYOUT, "idiag_dport")).isEqualTo(2);
        assertThat(offset(InetDiagSockId.LAYOUT, "idiag_src")).isEqualTo(4);
        assertThat(offset(InetDiagSockId.LAYOUT, "idiag_dst")).isEqualTo(20);
        assertThat(offset(InetDiagSockId.LAYOUT, "idiag_if")).isEqualTo(36);
        assertThat(offset(InetDiagSockId.LAYOUT, "idiag_cookie")).isEqualTo(40);
        assertThat(InetDiagSockId.SRC_OFFSET).isEqualTo(4);
        assertThat(InetDiagSockId.DST_OFFSET).isEqualTo(20);
    }

    @Test
    void inetDiagReqV2() {
        assertThat(InetDiagReqV2.LAYOUT.byteSize()).isEqualTo(56);
        assertThat(offset(InetDiagReqV2.LAYOUT, "sdiag_family")).isZero();
        assertThat(offset(InetDiagReqV2.LAYOUT, "sdiag_protocol")).isEqualTo(1);
        assertThat(offset(InetDiagReqV2.LAYOUT, "idiag_ext")).isEqualTo(2);
        assertThat(offset(InetDiagReqV2.LAYOUT, "pad")).isEqualTo(3);
        assertThat(offset(InetDiagReqV2.LAYOUT, "idiag_states")).isEqualTo(4);
        assertThat(offset(InetDiagReqV2.LAYOUT, "id")).isEqualTo(8);
        assertThat(offset(InetDiagReqV2.LAYOUT, "id", "idiag_cookie")).isEqualTo(48);
    }

    @Test
    void inetDiagReq() {
        assertThat(InetDiagReq.LAYOUT.byteSize()).isEqualTo(60);
        assertThat(offset(InetDiagReq.LAYOUT, "idiag_family")).isZero();
        assertThat(offset(InetDiagReq.LAYOUT, "idiag_src_len")).isEqualTo(1);
        assertThat(offset(InetDiagReq.LAYOUT, "idiag_dst_len")).isEqualTo(2);
        assertThat(offset(InetDiagReq.LAYOUT, "idiag_ext")).isEqualTo(3);
        assertThat(offset(InetDiagReq.LAYOUT, "id")).isEqualTo(4);
        assertThat(offset(InetDiagReq.LAYOUT, "id", "idiag_cookie")).isEqualTo(44);
        assertThat(offset(InetDiagReq.LAYOUT, "idiag_states")).isEqualTo(52);
        assertThat(offset(InetDiagReq.LAYOUT, "idiag_dbs")).isEqualTo(56);
        assertThat(InetDiagReq.ID_OFFSET).isEqualTo(4);
    }

    @Test
    void inetDiagMsg() {
        assertThat(InetDiagMsg.LAYOUT.byteSize()).isEqualTo(72);
        assertThat(offset(InetDiagMsg.LAYOUT, "idiag_family")).isZero();
        assertThat(offset(InetDiagMsg.LAYOUT, "idiag_state")).isEqualTo(1);
        assertThat(offset(InetDiagMsg.LAYOUT, "idiag_timer")).isEqualTo(2);
        assertThat(offset(InetDiagMsg.LAYOUT, "idiag_retrans")).isEqualTo(3);
        assertThat(offset(InetDiagMsg.LAYOUT, "id")).isEqualTo(4);
        assertThat(offset(InetDiagMsg.LAYOUT, "id", "idiag_sport")).isEqualTo(4);
        assertThat(offset(InetDiagMsg.LAYOUT, "id", "idiag_src")).isEqualTo(8);
        assertThat(offset(InetDiagMsg.LAYOUT, "id", "idiag_dst")).isEqualTo(24);
        assertThat(offset(InetDiagMsg.LAYOUT, "id", "idiag_if")).isEqualTo(40);
        assertThat(offset(InetDiagMsg.LAYOUT, "id", "idiag_cookie")).isEqualTo(44);
        assertThat(offset(InetDiagMsg.LAYOUT, "idiag_expires")).isEqualTo(52);
        assertThat(offset(InetDiagMsg.LAYOUT, "idiag_rqueue")).isEqualTo(56);
        assertThat(offset(InetDiagMsg.LAYOUT, "idiag_wqueue")).isEqualTo(60);
        assertThat(offset(InetDiagMsg.LAYOUT, "idiag_uid")).isEqualTo(64);
        assertThat(offset(InetDiagMsg.LAYOUT, "idiag_inode")).isEqualTo(68);
    }

    @Test
    void rtattr() {
        assertThat(RtAttr.LAYOUT.byteSize()).isEqualTo(4);
        assertThat(offset(RtAttr.LAYOUT, "rta_len")).isZero();
        assertThat(offset(RtAttr.LAYOUT, "rta_type")).isEqualTo(2);
        assertThat(RtAttr.TYPE_MASK).isEqualTo(0x3fff);
    }

    @Test
    void inetDiagMeminfo() {
        assertThat(InetDiagMeminfo.LAYOUT.byteSize()).isEqualTo(16);
        assertThat(offset(InetDiagMeminfo.LAYOUT, "idiag_rmem")).isZero();
        assertThat(offset(InetDiagMeminfo.LAYOUT, "idiag_wmem")).isEqualTo(4);
        assertThat(offset(InetDiagMeminfo.LAYOUT, "idiag_fmem")).isEqualTo(8);
        assertThat(offset(InetDiagMeminfo.LAYOUT, "idiag_tmem")).isEqualTo(12);
    }

    @Test
    void msghdrAndIovecOnLp64() {
        assertThat(MsgHdr.LAYOUT.byteSize()).isEqualTo(56);
        assertThat(offset(MsgHdr.LAYOUT, "msg_name")).isZero();
        assertThat(offset(MsgHdr.LAYOUT, "msg_namelen")).isEqualTo(8);
        assertThat(offset(MsgHdr.LAYOUT, "msg_iov")).isEqualTo(16);
        assertThat(offset(MsgHdr.LAYOUT, "msg_iovlen")).isEqualTo(24);
        assertThat(offset(MsgHdr.LAYOUT, "msg_control")).isEqualTo(32);
        assertThat(offset(MsgHdr.LAYOUT, "msg_controllen")).isEqualTo(40);
        assertThat(offset(MsgHdr.LAYOUT, "msg_flags")).isEqualTo(48);
        assertThat(IoVec.LAYOUT.byteSize()).isEqualTo(16);
        assertThat(offset(IoVec.LAYOUT, "iov_base")).isZero();
        assertThat(offset(IoVec.LAYOUT, "iov_len")).isEqualTo(8);
    }

    /** offsetof(struct tcp_info, m) of Linux 6.18, from the uapi header, for a sample of members. */
    @Test
    void tcpInfoAsOfLinux618() {
        StructLayout l = TcpInfoLayout.LAYOUT;
        assertThat(l.byteSize()).isEqualTo(280);
        assertThat(offset(l, "tcpi_wscale")).isEqualTo(6);
        assertThat(offset(l, "tcpi_app_limited_fo_fail")).isEqualTo(7);
        assertThat(offset(l, "tcpi_rto")).isEqualTo(8);
        assertThat(offset(l, "tcpi_rtt")).isEqualTo(68);
        assertThat(offset(l, "tcpi_snd_cwnd")).isEqualTo(80);
        assertThat(offset(l, "tcpi_total_retrans")).isEqualTo(100);
        assertThat(offset(l, "tcpi_pacing_rate")).isEqualTo(104);
        assertThat(offset(l, "tcpi_bytes_received")).isEqualTo(128);
        assertThat(offset(l, "tcpi_min_rtt")).isEqualTo(148);
        assertThat(offset(l, "tcpi_data_segs_in")).isEqualTo(152);
        assertThat(offset(l, "tcpi_delivery_rate")).isEqualTo(160);
        assertThat(offset(l, "tcpi_delivered")).isEqualTo(192);
        assertThat(offset(l, "tcpi_bytes_retrans")).isEqualTo(208);
        assertThat(offset(l, "tcpi_rcv_ooopack")).isEqualTo(224);
        assertThat(offset(l, "tcpi_snd_wnd")).isEqualTo(228);
        assertThat(offset(l, "tcpi_rcv_wnd")).isEqualTo(232);
        assertThat(offset(l, "tcpi_rehash")).isEqualTo(236);
        assertThat(offset(l, "tcpi_total_rto")).isEqualTo(240);
        assertThat(offset(l, "tcpi_total_rto_recoveries")).isEqualTo(242);
        assertThat(offset(l, "tcpi_total_rto_time")).isEqualTo(244);
        assertThat(offset(l, "tcpi_received_ce")).isEqualTo(248);
        assertThat(offset(l, "tcpi_received_ce_bytes")).isEqualTo(272);
        assertThat(offset(l, "tcpi_accecn_fail_mode")).isEqualTo(276);
        assertThat(offset(l, "tcpi_accecn_opt_seen")).isEqualTo(278);
    }

    /** Every public TcpInfoField agrees with the layout's member of the same name, in offset and size. */
    @Test
    void tcpInfoFieldsMatchTheLayout() {
        for (TcpInfoField f : TcpInfoField.values()) {
            String member = TcpInfoLayout.memberName(f);
            assertThat(offset(TcpInfoLayout.LAYOUT, member)).as("offset of %s (%s)", f, member).isEqualTo(f.offset());
            assertThat(size(TcpInfoLayout.LAYOUT, member)).as("size of %s (%s)", f, member).isEqualTo(f.size());
            assertThat(TcpInfoLayout.handle(f)).as("var handle of %s", f).isNotNull();
        }
        TcpInfoField last = TcpInfoField.values()[TcpInfoField.values().length - 1];
        assertThat(TcpInfoField.KNOWN_SIZE).isEqualTo(last.offset() + last.size()).isEqualTo(276);
    }

    /** TcpInfo decodes every member where the pinned layout puts it, in the kernel's byte order. */
    @Test
    void tcpInfoDecodesEachMemberAsTheLayoutReadsIt() {
        byte[] bytes = new byte[TcpInfoLayout.SIZE];
        new Random(1).nextBytes(bytes);
        MemorySegment s = MemorySegment.ofArray(bytes);
        TcpInfo info = TcpInfo.copyOf(ByteBuffer.wrap(bytes), 0, bytes.length);
        for (TcpInfoField f : TcpInfoField.values()) {
            VarHandle h = TcpInfoLayout.handle(f);
            long raw = switch (f.size()) {
                case 1 -> Byte.toUnsignedLong((byte) h.get(s, 0L));
                case 2 -> Short.toUnsignedLong((short) h.get(s, 0L));
                case 4 -> Integer.toUnsignedLong((int) h.get(s, 0L));
                default -> (long) h.get(s, 0L);
            };
            long expected = f.bitWidth() == 64 ? raw : (raw >>> f.bitShift()) & ((1L << f.bitWidth()) - 1);
            assertThat(info.get(f)).as("%s", f).isEqualTo(expected);
        }
    }

    @Test
    void noLayoutHasImplicitPadding() {
        for (StructLayout l : new StructLayout[] {NlMsgHdr.LAYOUT, NlMsgErr.LAYOUT, SockaddrNl.LAYOUT,
                InetDiagSockId.LAYOUT, InetDiagReqV2.LAYOUT, InetDiagReq.LAYOUT, InetDiagMsg.LAYOUT, RtAttr.LAYOUT,
                InetDiagMeminfo.LAYOUT, TcpInfoLayout.LAYOUT, MsgHdr.LAYOUT, IoVec.LAYOUT}) {
            long sum = l.memberLayouts().stream().mapToLong(MemoryLayout::byteSize).sum();
            assertThat(sum).as("members of %s", l.name().orElseThrow()).isEqualTo(l.byteSize());
            assertThat(l.memberLayouts()).as("every member of %s is named or padding", l.name().orElseThrow())
                    .allMatch(m -> m.name().isPresent() || m instanceof java.lang.foreign.PaddingLayout);
        }
    }
}
