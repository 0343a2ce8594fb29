package dev.ssexporter.core.selection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.PeerSelection;
import dev.ssexporter.core.config.ProcessSelection;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpState;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FlowSelectorTest {
    // pid 100 "nginx" (exe nginx) owns inode 11; pid 200 comm "java" exe "java" owns 22;
    // pid 300 comm "worker" with exe "postgres" owns 33; pids 5 and 7 share 44; inode 55 has no owner.
    private static final ProcessTable PROCS = ProcessTable.builder()
            .process(100, "nginx", "nginx").socket(11, 100)
            .process(200, "java", "java").socket(22, 200)
            .process(300, "worker", "postgres").socket(33, 300)
            .process(5, "sshd", null).process(7, "sshd", null).socket(44, 7).socket(44, 5)
            .build();

    private static final SocketRecord WEB_IN = TestSocket.of("192.168.10.58", 443, "203.0.113.9", 51000).inode(11).build();
    private static final SocketRecord JAVA_OUT = TestSocket.of("192.168.10.58", 40100, "10.1.2.3", 5432).inode(22).build();
    private static final SocketRecord PG = TestSocket.of("10.0.0.5", 5432, "10.9.9.9", 40200).inode(33).build();
    private static final SocketRecord SSH = TestSocket.of("10.0.0.5", 22, "198.51.100.7", 60000).inode(44).build();
    private static final SocketRecord ORPHAN = TestSocket.of("10.0.0.5", 8080, "10.0.0.6", 40000).inode(55).build();
    private static final SocketRecord V6 = TestSocket.of("2001:db8::5", 40300, "2001:db8:1::9", 443).inode(66).build();
    private static final SocketRecord MAPPED = TestSocket.of("::ffff:10.0.0.5", 40400, "::ffff:8.8.8.8", 53)
            .family(AddressFamily.INET6).inode(77).build();
    private static final List<SocketRecord> ALL = List.of(WEB_IN, JAVA_OUT, PG, SSH, ORPHAN, V6, MAPPED);

    private static SelectionConfig config(ProcessSelection process, PeerSelection peering, List<PortRange> ports) {
        return new SelectionConfig(TcpState.connected(), process, peering, ports);
    }

    private static PeerSelection peers(List<String> addresses, List<String> networks, List<String> excluded,
                                       List<String> hosts) {
        return new PeerSelection(addresses.stream().map(Cidr::parseAddress).toList(),
                networks.stream().map(Cidr::parse).toList(), excluded.stream().map(Cidr::parse).toList(), hosts);
    }

    private static List<SocketRecord> selected(FlowSelector selector) {
        return ALL.stream().filter(s -> selector.matches(s, PROCS)).toList();
    }

    @Test
    void emptySelectionSelectsEverything() {
        FlowSelector selector = FlowSelector.of(SelectionConfig.none());
        assertThat(selector.selectsAll()).isTrue();
        assertThat(selected(selector)).isEqualTo(ALL);
        assertThat(selector.matches(ORPHAN, ProcessTable.empty())).isTrue();
    }

    @Test
    void processByPid() {
        FlowSelector selector = FlowSelector.of(config(new ProcessSelection(Set.of(200, 7), Set.of()),
                PeerSelection.none(), List.of()));
        assertThat(selector.selectsAll()).isFalse();
        assertThat(selected(selector)).containsExactly(JAVA_OUT, SSH);
    }

    @Test
    void processByCommOrExeBasename() {
        FlowSelector selector = FlowSelector.of(config(new ProcessSelection(Set.of(), Set.of("nginx", "postgres")),
                PeerSelection.none(), List.of()));
        assertThat(selected(selector)).as("postgres matches pid 300 by exe, though its comm is worker")
                .containsExactly(WEB_IN, PG);
        FlowSelector byComm = FlowSelector.of(config(new ProcessSelection(Set.of(), Set.of("worker")),
                PeerSelection.none(), List.of()));
        assertThat(selected(byComm)).containsExactly(PG);
    }

    @Test
    void processPidsOrCmds() {
        FlowSelector selector = FlowSelector.of(config(new ProcessSelection(Set.of(100), Set.of("sshd")),
                PeerSelection.none(), List.of()));
        assertThat(selected(selector)).containsExactly(WEB_IN, SSH);
    }

    @Test
    void socketWithoutKnownOwnerNeverMatchesAProcessSection() {
        FlowSelector selector = FlowSelector.of(config(new ProcessSelection(Set.of(100, 200, 300, 5, 7),
                Set.of("nginx", "java", "worker", "sshd")), PeerSelection.none(), List.of()));
        assertThat(selected(selector)).containsExactly(WEB_IN, JAVA_OUT, PG, SSH);
        assertThat(selector.matches(WEB_IN, ProcessTable.empty())).isFalse();
    }

    @Test
    void peeringByAddress() {
        FlowSelector selector = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of("10.1.2.3", "2001:db8:1::9"), List.of(), List.of(), List.of()), List.of()));
        assertThat(selected(selector)).containsExactly(JAVA_OUT, V6);
    }

    @Test
    void ipv4AddressMatchesV4MappedPeer() {
        FlowSelector plain = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of("8.8.8.8"), List.of(), List.of(), List.of()), List.of()));
        assertThat(selected(plain)).containsExactly(MAPPED);
        FlowSelector mappedEntry = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of("::ffff:8.8.8.8"), List.of(), List.of(), List.of()), List.of()));
        assertThat(selected(mappedEntry)).containsExactly(MAPPED);
    }

    @Test
    void peeringByNetworkIpv4AndIpv6() {
        FlowSelector selector = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of(), List.of("10.0.0.0/8", "2001:db8::/32"), List.of(), List.of()), List.of()));
        assertThat(selected(selector)).containsExactly(JAVA_OUT, PG, ORPHAN, V6);
    }

    @Test
    void ipv4NetworkMatchesV4MappedPeer() {
        FlowSelector selector = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of(), List.of("8.8.0.0/16"), List.of(), List.of()), List.of()));
        assertThat(selected(selector)).containsExactly(MAPPED);
    }

    @Test
    void ipv6NetworkExactBoundary() {
        FlowSelector selector = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of(), List.of("2001:db8:1::8/127"), List.of(), List.of()), List.of()));
        assertThat(selected(selector)).containsExactly(V6);
        FlowSelector off = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of(), List.of("2001:db8:1::a/127"), List.of(), List.of()), List.of()));
        assertThat(selected(off)).isEmpty();
    }

    @Test
    void excludeOnlyMeansEverythingElse() {
        FlowSelector selector = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of(), List.of(), List.of("10.0.0.0/8", "192.168.0.0/16"), List.of()), List.of()));
        assertThat(selected(selector)).containsExactly(WEB_IN, SSH, V6, MAPPED);
    }

    @Test
    void excludeWinsOverInclude() {
        FlowSelector selector = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of("10.9.9.9"), List.of("10.0.0.0/8"), List.of("10.9.0.0/16", "10.0.0.6/32"), List.of()),
                List.of()));
        assertThat(selected(selector)).as("10.9.9.9 is listed, but excluded").containsExactly(JAVA_OUT);
    }

    @Test
    void excludeAppliesToV4MappedPeers() {
        FlowSelector selector = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of(), List.of(), List.of("8.8.8.8/32"), List.of()), List.of()));
        assertThat(selected(selector)).doesNotContain(MAPPED).hasSize(ALL.size() - 1);
    }

    @Test
    void hostsUseTheCurrentResolvedSet() {
        AtomicReference<Set<InetAddress>> resolved = new AtomicReference<>(Set.of());
        FlowSelector selector = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of(), List.of(), List.of(), List.of("db.internal")), List.of()), resolved::get);
        assertThat(selected(selector)).as("before the first resolution, hosts match nothing").isEmpty();
        resolved.set(Set.of(InetAddress.ofLiteral("10.1.2.3"), InetAddress.ofLiteral("2001:db8:1::9")));
        assertThat(selected(selector)).containsExactly(JAVA_OUT, V6);
        resolved.set(Set.of(InetAddress.ofLiteral("8.8.8.8")));
        assertThat(selected(selector)).containsExactly(MAPPED);
    }

    @Test
    void hostsWithoutSupplierMatchNothing() {
        FlowSelector selector = FlowSelector.of(config(ProcessSelection.none(),
                peers(List.of(), List.of(), List.of(), List.of("db.internal")), List.of()));
        assertThat(selected(selector)).isEmpty();
    }

    @Test
    void portsMatchLocalSideForInboundAndRemoteSideForOutbound() {
        FlowSelector selector = FlowSelector.of(config(ProcessSelection.none(), PeerSelection.none(),
                List.of(PortRange.of(80, 443))));
        assertThat(selected(selector)).as("WEB_IN: local 443 (inbound); V6: remote 443 (outbound)")
                .containsExactly(WEB_IN, V6);
    }

    @Test
    void portBoundariesAreInclusive() {
        FlowSelector selector = FlowSelector.of(config(ProcessSelection.none(), PeerSelection.none(),
                List.of(PortRange.of(5432, 5432), PortRange.of(22, 22))));
        assertThat(selected(selector)).containsExactly(JAVA_OUT, PG, SSH);
        FlowSelector justBelow = FlowSelector.of(config(ProcessSelection.none(), PeerSelection.none(),
                List.of(PortRange.of(444, 5431), PortRange.of(23, 52))));
        assertThat(selected(justBelow)).isEmpty();
        FlowSelector edges = FlowSelector.of(config(ProcessSelection.none(), PeerSelection.none(),
                List.of(PortRange.of(0, 0), PortRange.of(65535, 65535))));
        SocketRecord extreme = TestSocket.of("10.0.0.1", 65535, "10.0.0.2", 1).build();
        assertThat(edges.matches(extreme, PROCS)).isTrue();
    }

    @Test
    void sectionsAreAndedEntriesOred() {
        SelectionConfig cfg = config(new ProcessSelection(Set.of(), Set.of("java", "postgres", "sshd")),
                peers(List.of(), List.of("10.0.0.0/8"), List.of(), List.of()),
                List.of(PortRange.of(5432, 5432), PortRange.of(22, 22)));
        // JAVA_OUT: java, 10.1.2.3, remote 5432 -> in. PG: postgres, 10.9.9.9, local 5432 -> in.
        // SSH: sshd, port 22, but peer 198.51.100.7 is outside 10/8 -> out.
        assertThat(selected(FlowSelector.of(cfg))).containsExactly(JAVA_OUT, PG);
    }

    @Test
    void eachSectionCanVetoAlone() {
        SelectionConfig processFails = config(new ProcessSelection(Set.of(999), Set.of()),
                peers(List.of(), List.of("10.0.0.0/8"), List.of(), List.of()), List.of(PortRange.of(5432, 5432)));
        assertThat(FlowSelector.of(processFails).matches(JAVA_OUT, PROCS)).isFalse();
        SelectionConfig peerFails = config(new ProcessSelection(Set.of(200), Set.of()),
                peers(List.of(), List.of("172.16.0.0/12"), List.of(), List.of()), List.of(PortRange.of(5432, 5432)));
        assertThat(FlowSelector.of(peerFails).matches(JAVA_OUT, PROCS)).isFalse();
        SelectionConfig portFails = config(new ProcessSelection(Set.of(200), Set.of()),
                peers(List.of(), List.of("10.0.0.0/8"), List.of(), List.of()), List.of(PortRange.of(1, 1000)));
        assertThat(FlowSelector.of(portFails).matches(JAVA_OUT, PROCS)).isFalse();
        SelectionConfig allPass = config(new ProcessSelection(Set.of(200), Set.of()),
                peers(List.of(), List.of("10.0.0.0/8"), List.of(), List.of()), List.of(PortRange.of(5432, 5432)));
        assertThat(FlowSelector.of(allPass).matches(JAVA_OUT, PROCS)).isTrue();
    }
}
