package dev.ssexporter.core.folding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.core.selection.TestSocket;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketRecord;
import org.junit.jupiter.api.Test;

class FlowLabelerTest {
    private static final ProcessTable PROCS = ProcessTable.builder()
            .process(20005, "firefox", "firefox").socket(11, 20005).socket(12, 20005)
            .process(1, "init", "systemd").process(20, "nginx", "nginx").process(300, "nginx", "nginx")
            .socket(44, 300).socket(44, 1).socket(44, 20)
            .build();

    private final FlowLabeler raw = FlowLabeler.of(LabelFolding.RAW_ENDPOINT);
    private final FlowLabeler pids = FlowLabeler.of(LabelFolding.PID_CONDENSED);

    @Test
    void rawEndpointIpv4() {
        SocketRecord s = TestSocket.of("192.168.10.58", 39366, "104.19.199.151", 443).inode(11).build();
        assertThat(raw.label(s, PROCS)).isEqualTo("(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)");
        assertThat(raw.label(s, ProcessTable.empty())).isEqualTo("(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)");
    }

    @Test
    void rawEndpointIpv6AndMapped() {
        SocketRecord v6 = TestSocket.of("2001:db8:0:0:0:0:0:5", 40300, "2001:DB8:1::9", 443).build();
        assertThat(raw.label(v6, PROCS)).isEqualTo("(SRC#2001:db8::5|40300)(DST#2001:db8:1::9|443)");
        SocketRecord mapped = TestSocket.of("::ffff:10.0.0.5", 8080, "::ffff:10.0.0.6", 40000)
                .family(AddressFamily.INET6).build();
        assertThat(raw.label(mapped, PROCS)).isEqualTo("(SRC#10.0.0.5|8080)(DST#10.0.0.6|40000)");
    }

    @Test
    void pidCondensed() {
        SocketRecord s = TestSocket.of("192.168.10.58", 39366, "104.19.199.151", 443).inode(11).build();
        assertThat(pids.label(s, PROCS)).isEqualTo("(20005)(DST#104.19.199.151|443)");
        SocketRecord other = TestSocket.of("192.168.10.58", 39999, "104.19.199.151", 443).inode(12).build();
        assertThat(pids.label(other, PROCS)).as("two sockets of one pid to one peer share a label")
                .isEqualTo(pids.label(s, PROCS));
    }

    @Test
    void pidCondensedMultipleOwnersSortedAscending() {
        SocketRecord s = TestSocket.of("0.0.0.0", 80, "10.0.0.9", 5000).inode(44).build();
        assertThat(pids.label(s, PROCS)).isEqualTo("(1,20,300)(DST#10.0.0.9|5000)");
    }

    @Test
    void pidCondensedIpv6Peer() {
        SocketRecord s = TestSocket.of("2001:db8::5", 40300, "2001:db8:1::9", 443).inode(11).build();
        assertThat(pids.label(s, PROCS)).isEqualTo("(20005)(DST#2001:db8:1::9|443)");
    }

    @Test
    void unknownOwnerFallsBackToRaw() {
        SocketRecord noInode = TestSocket.of("10.0.0.5", 8080, "10.0.0.6", 40000).build();
        assertThat(pids.label(noInode, PROCS)).isEqualTo("(SRC#10.0.0.5|8080)(DST#10.0.0.6|40000)");
        SocketRecord unknown = TestSocket.of("10.0.0.5", 8080, "10.0.0.6", 40000).inode(999).build();
        assertThat(pids.label(unknown, PROCS)).isEqualTo("(SRC#10.0.0.5|8080)(DST#10.0.0.6|40000)");
        SocketRecord known = TestSocket.of("10.0.0.5", 8080, "10.0.0.6", 40000).inode(11).build();
        assertThat(pids.label(known, ProcessTable.empty())).isEqualTo("(SRC#10.0.0.5|8080)(DST#10.0.0.6|40000)");
    }

    @Test
    void folding() {
        assertThat(raw.folding()).isEqualTo(LabelFolding.RAW_ENDPOINT);
        assertThat(pids).hasToString("FlowLabeler[pid_condensed]");
    }
}
