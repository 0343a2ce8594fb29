package dev.ssexporter.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ssexporter.core.config.PeerSelection;
import dev.ssexporter.core.config.ProcessSelection;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketFilter;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelFiltersTest {

    private static SelectionConfig config(ProcessSelection process, PeerSelection peering, List<PortRange> ports) {
        return new SelectionConfig(TcpState.connected(), process, peering, ports);
    }

    private static PeerSelection peers(List<String> addresses, List<String> networks, List<String> excluded,
                                       List<String> hosts) {
        return new PeerSelection(addresses.stream().map(InetAddress::ofLiteral).toList(),
                networks.stream().map(Cidr::parse).toList(), excluded.stream().map(Cidr::parse).toList(), hosts);
    }

    @Test
    void noSectionIsNoFilter() {
        assertThat(KernelFilters.of(SelectionConfig.none())).isEqualTo(SocketFilter.acceptAll());
        SelectionConfig processOnly = config(new ProcessSelection(Set.of(1), Set.of("nginx")), PeerSelection.none(),
                List.of());
        assertThat(KernelFilters.of(processOnly)).as("no kernel equivalent").isEqualTo(SocketFilter.acceptAll());
    }

    @Test
    void portRangesOnEitherSide() {
        SelectionConfig c = config(ProcessSelection.none(), PeerSelection.none(),
                List.of(PortRange.of(80, 443), PortRange.of(8080, 8080)));
        assertThat(KernelFilters.of(c)).isEqualTo(SocketFilter.anyOf(
                SocketFilter.localPorts(80, 443), SocketFilter.remotePorts(80, 443),
                SocketFilter.localPorts(8080, 8080), SocketFilter.remotePorts(8080, 8080)));
        assertThat(KernelFilters.portsOnly(c)).isEqualTo(KernelFilters.of(c));
    }

    @Test
    void peeringIncludesAndExcludes() {
        SelectionConfig c = config(ProcessSelection.none(),
                peers(List.of("10.1.2.3", "2001:db8::1"), List.of("192.168.0.0/16", "fd00::/8"),
                        List.of("192.168.7.0/24"), List.of()),
                List.of(PortRange.of(443, 443)));
        assertThat(KernelFilters.of(c)).hasToString("((sport = 443 or dport = 443)"
                + " and (dst 10.1.2.3/32 or dst 2001:db8:0:0:0:0:0:1/128 or dst 192.168.0.0/16"
                + " or dst fd00:0:0:0:0:0:0:0/8)"
                + " and not (dst 192.168.7.0/24))");
        assertThat(KernelFilters.portsOnly(c)).hasToString("(sport = 443 or dport = 443)");
    }

    @Test
    void hostsCannotBeCompiledSoOnlyTheExclusionsRemain() {
        SelectionConfig c = config(ProcessSelection.none(),
                peers(List.of("10.1.2.3"), List.of("192.168.0.0/16"), List.of("192.168.7.0/24"), List.of("db.internal")),
                List.of());
        assertThat(KernelFilters.of(c)).hasToString("not (dst 192.168.7.0/24)");
    }

    @Test
    void anIpv6ExclusionOverlappingTheMappedRangeSparesMappedPeers() {
        // The selector compares a mapped peer as IPv4, so ::/0 never excludes it; the kernel would.
        SelectionConfig c = config(ProcessSelection.none(), peers(List.of(), List.of(), List.of("::/0", "fd00::/8"),
                List.of()), List.of());
        assertThat(KernelFilters.of(c)).hasToString("not ((dst 0:0:0:0:0:0:0:0/0 and not (dst 0.0.0.0/0))"
                + " or dst fd00:0:0:0:0:0:0:0/8)");
        SocketRecord mapped = TestSocket.of("::ffff:10.0.0.1", 1, "::ffff:8.8.8.8", 53).family(AddressFamily.INET6)
                .build();
        SocketRecord v6 = TestSocket.of("2001:db8::1", 1, "2001:db8::2", 53).build();
        assertThat(KernelFilters.of(c).matches(mapped)).isTrue();
        assertThat(KernelFilters.of(c).matches(v6)).isFalse();
        assertThat(FlowSelector.of(c).matches(mapped, ProcessTable.empty())).isTrue();
    }

    @Test
    void networkBytesRoundTripEveryCidrForm() {
        assertThat(KernelFilters.network(Cidr.parse("10.1.2.3/8")))
                .isEqualTo(new SocketFilter.RemoteNetwork(new byte[] {10, 0, 0, 0}, 8));
        assertThat(KernelFilters.network(Cidr.parse("::ffff:10.0.0.0/104")))
                .as("a mapped /104 is the IPv4 /8").isEqualTo(new SocketFilter.RemoteNetwork(new byte[] {10, 0, 0, 0}, 8));
        byte[] mapped90 = new byte[16];
        mapped90[10] = (byte) 0xFF;
        mapped90[11] = (byte) 0xC0; // 90 bits: the first 10 of the 16 one-bits
        assertThat(KernelFilters.network(Cidr.parse("::ffff:10.0.0.0/90")))
                .isEqualTo(new SocketFilter.RemoteNetwork(mapped90, 90));
        byte[] mappedRange = new byte[16];
        mappedRange[10] = (byte) 0xFF;
        mappedRange[11] = (byte) 0xFF;
        assertThat(KernelFilters.networkBytes(Cidr.parse("::ffff:1.2.3.4/95"))).hasSize(16);
        assertThat(KernelFilters.overlapsMapped(Cidr.parse("::/0"))).isTrue();
        assertThat(KernelFilters.overlapsMapped(Cidr.parse("::/80"))).isTrue();
        assertThat(KernelFilters.overlapsMapped(Cidr.parse("::/81"))).isFalse();
        assertThat(KernelFilters.overlapsMapped(Cidr.parse("::ffff:10.0.0.0/90"))).isTrue();
        assertThat(KernelFilters.overlapsMapped(Cidr.parse("fd00::/8"))).isFalse();
        assertThat(KernelFilters.overlapsMapped(Cidr.parse("::1/128"))).isFalse();
    }

    // --- the superset property ---

    private static final String[] V4 = {"10.0.0.1", "10.1.2.3", "10.1.3.9", "127.0.0.1", "192.168.7.20", "8.8.8.8"};
    private static final String[] V6 = {"::1", "fd00::1", "fd12::7", "2001:db8::5", "2001:db8:1::5", "::"};
    private static final String[] NETWORKS = {"10.0.0.0/8", "10.1.2.0/23", "0.0.0.0/0", "127.0.0.1", "192.168.0.0/16",
        "192.168.7.0/24", "::/0", "fd00::/8", "::1", "2001:db8::/32", "2001:db8:1::/47", "::ffff:0:0/96",
        "::ffff:10.0.0.0/90", "::/8", "::ffff:0.0.0.0/80", "8.8.8.8/32"};
    private static final int[] PORTS = {0, 22, 80, 443, 1024, 5432, 8080, 40000, 65535};
    private static final String[] COMMS = {"nginx", "java", "sshd"};

    private static <T> List<T> some(SplittableRandom r, int max, java.util.function.Supplier<T> one) {
        int n = r.nextInt(max + 1);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(one.get());
        }
        return out;
    }

    private static String anyAddress(SplittableRandom r) {
        return r.nextBoolean() ? V4[r.nextInt(V4.length)] : V6[r.nextInt(V6.length)];
    }

    private static SelectionConfig randomConfig(SplittableRandom r) {
        List<PortRange> ranges = some(r, 2, () -> {
            int a = PORTS[r.nextInt(PORTS.length)];
            int b = PORTS[r.nextInt(PORTS.length)];
            return PortRange.of(Math.min(a, b), Math.max(a, b));
        });
        PeerSelection peering = peers(
                some(r, 2, () -> anyAddress(r)),
                some(r, 2, () -> NETWORKS[r.nextInt(NETWORKS.length)]),
                some(r, 2, () -> NETWORKS[r.nextInt(NETWORKS.length)]),
                r.nextInt(4) == 0 ? List.of("db.internal") : List.of());
        ProcessSelection process = r.nextInt(3) == 0
                ? new ProcessSelection(Set.of(1 + r.nextInt(3)), Set.of(COMMS[r.nextInt(COMMS.length)]))
                : ProcessSelection.none();
        return config(process, peering, ranges);
    }

    private static SocketRecord randomSocket(SplittableRandom r) {
        int kind = r.nextInt(3);
        String[] pool = kind == 1 ? V6 : V4;
        String local = pool[r.nextInt(pool.length)];
        String remote = pool[r.nextInt(pool.length)];
        if (kind == 2) { // an AF_INET6 socket with IPv4-mapped addresses
            local = "::ffff:" + local;
            remote = "::ffff:" + remote;
        }
        return TestSocket.of(local, PORTS[r.nextInt(PORTS.length)], remote, PORTS[r.nextInt(PORTS.length)])
                .family(kind == 0 ? AddressFamily.INET : AddressFamily.INET6)
                .inode(1 + r.nextInt(4)).build();
    }

    @Test
    void theKernelFilterPassesEverySocketTheSelectorSelects() {
        // pids 1..3 own inodes 1..3 with the three comm names; inode 4 has no owner
        ProcessTable procs = ProcessTable.builder()
                .process(1, "nginx", "nginx").socket(1, 1)
                .process(2, "java", "java").socket(2, 2)
                .process(3, "sshd", null).socket(3, 3)
                .build();
        SplittableRandom r = new SplittableRandom(7);
        long selected = 0;
        long passedOnlyInKernel = 0;
        for (int i = 0; i < 2000; i++) {
            SelectionConfig config = randomConfig(r);
            Set<InetAddress> resolved = new HashSet<>(some(r, 2, () -> InetAddress.ofLiteral(anyAddress(r))));
            FlowSelector selector = FlowSelector.of(config, () -> resolved);
            SocketFilter filter = KernelFilters.of(config);
            SocketFilter portsOnly = KernelFilters.portsOnly(config);
            for (int s = 0; s < 50; s++) {
                SocketRecord socket = randomSocket(r);
                boolean inJava = selector.matches(socket, procs);
                boolean inKernel = filter.matches(socket);
                if (inJava) {
                    selected++;
                    if (!inKernel || !portsOnly.matches(socket)) {
                        fail("%s must pass %s and %s (config %s)", socket, filter, portsOnly, config);
                    }
                } else if (inKernel) {
                    passedOnlyInKernel++;
                }
            }
        }
        assertThat(selected).as("selected sockets").isGreaterThan(10_000);
        assertThat(passedOnlyInKernel).as("dropped in Java after passing the kernel: process, hosts, mapped").isPositive();
    }

    @Test
    void withoutProcessOrHostsTheFilterIsExactForIpv4Entries() {
        // Only IPv4 entries and IPv4 exclusions: the kernel filter and the selector agree exactly.
        SplittableRandom r = new SplittableRandom(11);
        String[] v4Networks = {"10.0.0.0/8", "10.1.2.0/23", "0.0.0.0/0", "127.0.0.1", "192.168.0.0/16", "8.8.8.8/32"};
        for (int i = 0; i < 2000; i++) {
            SelectionConfig config = config(ProcessSelection.none(), peers(
                    some(r, 2, () -> V4[r.nextInt(V4.length)]),
                    some(r, 2, () -> v4Networks[r.nextInt(v4Networks.length)]),
                    some(r, 2, () -> v4Networks[r.nextInt(v4Networks.length)]), List.of()),
                    some(r, 2, () -> PortRange.of(PORTS[r.nextInt(5)], PORTS[5 + r.nextInt(4)])));
            FlowSelector selector = FlowSelector.of(config);
            SocketFilter filter = KernelFilters.of(config);
            for (int s = 0; s < 30; s++) {
                SocketRecord socket = randomSocket(r);
                if (filter.matches(socket) != selector.matches(socket, ProcessTable.empty())) {
                    fail("%s: the selector and %s disagree", socket, filter);
                }
            }
        }
    }
}
