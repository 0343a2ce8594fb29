package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketFilter;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random filter trees and sockets drawn from small pools of ports, addresses and networks, so
 * that conditions hit as often as they miss: IPv4, IPv6 and IPv4-mapped addresses, prefixes on
 * and off byte boundaries, {@code /0}, and the mapped range {@code ::ffff:0:0/96}.
 */
final class RandomFilters {
    private static final int[] PORTS = {0, 1, 22, 80, 443, 1023, 1024, 8080, 32768, 40000, 65534, 65535};
    private static final String[] V4 = {"10.0.0.1", "10.1.2.3", "10.1.3.200", "127.0.0.1", "192.168.1.1", "0.0.0.0"};
    private static final String[] V6 = {"::1", "fd00::1", "fd12::7", "2001:db8::5", "2001:db8:1::5", "::"};
    /** Network address (hex bytes) and prefix length. */
    private static final String[][] NETWORKS = {
        {"0a000000", "8"}, {"0a010000", "16"}, {"0a010200", "23"}, {"00000000", "0"}, {"7f000001", "32"},
        {"c0a80100", "24"}, {"00000000000000000000000000000000", "0"}, {"fd000000000000000000000000000000", "8"},
        {"00000000000000000000000000000001", "128"}, {"20010db8000000000000000000000000", "32"},
        {"20010db8000100000000000000000000", "47"}, {"00000000000000000000ffff00000000", "96"},
        {"00000000000000000000ffff0a000000", "104"},
    };

    private final RandomGenerator random;

    RandomFilters(RandomGenerator random) {
        this.random = random;
    }

    SocketFilter filter(int depth) {
        int kind = random.nextInt(depth <= 0 ? 4 : 7);
        return switch (kind) {
            case 0 -> portRange(true);
            case 1 -> portRange(false);
            case 2 -> network(true);
            case 3 -> network(false);
            case 4 -> SocketFilter.anyOf(members(depth));
            case 5 -> SocketFilter.allOf(members(depth));
            default -> SocketFilter.not(filter(depth - 1));
        };
    }

    private List<SocketFilter> members(int depth) {
        int n = random.nextInt(4); // 0..3, empty lists included
        List<SocketFilter> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(filter(depth - 1));
        }
        return out;
    }

    private SocketFilter portRange(boolean local) {
        int a = PORTS[random.nextInt(PORTS.length)];
        int b = PORTS[random.nextInt(PORTS.length)];
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        return local ? SocketFilter.localPorts(lo, hi) : SocketFilter.remotePorts(lo, hi);
    }

    private SocketFilter network(boolean local) {
        String[] n = NETWORKS[random.nextInt(NETWORKS.length)];
        byte[] address = HexFormat.of().parseHex(n[0]);
        int prefix = Integer.parseInt(n[1]);
        return local ? new SocketFilter.LocalNetwork(address, prefix) : new SocketFilter.RemoteNetwork(address, prefix);
    }

    /** An IPv4 socket, an IPv6 one, or an IPv6 one whose addresses are IPv4-mapped (as the reader reports them). */
    SocketRecord socket() {
        int kind = random.nextInt(3);
        AddressFamily family = kind == 0 ? AddressFamily.INET : AddressFamily.INET6;
        String[] pool = kind == 1 ? V6 : V4;
        InetAddress local = InetAddress.ofLiteral(pool[random.nextInt(pool.length)]);
        InetAddress remote = InetAddress.ofLiteral(pool[random.nextInt(pool.length)]);
        return new SocketRecord(family, TcpState.ESTABLISHED, local, PORTS[random.nextInt(PORTS.length)], remote,
                PORTS[random.nextInt(PORTS.length)], 0, 1, 1, 0, 0, 0, 0, 0, 0, null, null, null, null);
    }
}
