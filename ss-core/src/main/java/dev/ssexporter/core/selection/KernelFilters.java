package dev.ssexporter.core.selection;

import dev.ssexporter.core.config.PeerSelection;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.SocketFilter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Translates {@code logic.selection} into a {@link SocketFilter} the kernel runs during the dump,
 * so that sockets the selection would drop are never copied to user space.
 *
 * <p>The filter is a <em>superset</em> of {@link FlowSelector}: every socket the selector
 * selects passes it, and some that pass it may still be dropped. {@link FlowSelector} re-checks
 * every socket, so the filter only saves work and never decides alone. Per section:
 *
 * <ul>
 *   <li>{@code portRanges}: the local or the remote port in any range; exact.
 *   <li>{@code peering} includes ({@code addresses}, {@code networks}): the remote address in any
 *       of them; an IPv4 entry matches IPv4-mapped peers too, as in the selector. Exact for IPv4
 *       entries; an IPv6 network also passes IPv6 sockets whose mapped peer lies in it, which the
 *       selector treats as IPv4 and drops.
 *   <li>{@code peering.hosts}: resolved at run time, so it cannot be compiled once; when hosts
 *       are configured the include part is left out (every peer passes it) and Java decides.
 *   <li>{@code peering.networks.exclude}: the remote address in none of them. An IPv6 exclusion
 *       that overlaps {@code ::ffff:0:0/96} is limited to peers that are not IPv4-mapped,
 *       because the kernel compares a mapped peer's 16 bytes with an IPv6 network while the
 *       selector compares it as IPv4 and never excludes it there.
 *   <li>{@code process}: no kernel equivalent; left out.
 * </ul>
 *
 * <pre>{@code
 * DumpQuery q = DumpQuery.of(families, selection.states()).withFilter(KernelFilters.of(selection));
 * }</pre>
 */
public final class KernelFilters {
    /** {@code ::ffff:0:0/96}: the IPv4-mapped range, as the first 12 bytes of an IPv6 address. */
    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF};
    /** Every IPv4 peer, and every IPv4-mapped peer of an IPv6 socket. */
    private static final SocketFilter ANY_IPV4_PEER = new SocketFilter.RemoteNetwork(new byte[4], 0);

    private KernelFilters() {}

    /** The filter for every section that has a kernel equivalent; {@link SocketFilter#acceptAll()} when none. */
    public static SocketFilter of(SelectionConfig selection) {
        List<SocketFilter> parts = new ArrayList<>(3);
        SocketFilter ports = ports(selection);
        if (ports != null) {
            parts.add(ports);
        }
        parts.addAll(peering(selection.peering()));
        return parts.isEmpty() ? SocketFilter.acceptAll() : parts.size() == 1 ? parts.getFirst() : SocketFilter.allOf(parts);
    }

    /**
     * {@code base} with the kernel filter of {@code selection}: {@link #of} if it fits in one
     * request, else {@link #portsOnly}, else none. {@code fallback} is told, in a sentence, each
     * time a filter is too large and a smaller one is tried; the selector re-checks every socket
     * in Java either way. This is the dump the engine makes on every scrape.
     */
    public static DumpQuery withFilter(DumpQuery base, SelectionConfig selection, Consumer<String> fallback) {
        try {
            return base.withFilter(of(selection));
        } catch (IllegalArgumentException tooLong) {
            fallback.accept("the selection is too large for a kernel-side filter (" + tooLong.getMessage()
                    + "); the kernel filters by port ranges only and the peering section is checked in Java");
        }
        try {
            return base.withFilter(portsOnly(selection));
        } catch (IllegalArgumentException tooLong) {
            fallback.accept("the port ranges are too many for a kernel-side filter; every socket is dumped"
                    + " and selected in Java");
            return base;
        }
    }

    /**
     * Whether the dump for {@code selection} carries a kernel-side filter, after the fallbacks of
     * {@link #withFilter}; the configuration uses it to decide what the aggregates cost, since
     * with a kernel filter they need a second dump of every socket.
     */
    public static boolean filtersInKernel(SelectionConfig selection) {
        return withFilter(DumpQuery.of(EnumSet.allOf(AddressFamily.class), selection.states()), selection,
                reason -> { }).hasFilter();
    }

    /**
     * The port section alone: the fallback when the peering lists are too long to compile into
     * one request; {@link SocketFilter#acceptAll()} when there are no port ranges.
     */
    public static SocketFilter portsOnly(SelectionConfig selection) {
        SocketFilter ports = ports(selection);
        return ports == null ? SocketFilter.acceptAll() : ports;
    }

    private static SocketFilter ports(SelectionConfig selection) {
        List<SocketFilter> any = new ArrayList<>();
        for (PortRange r : selection.portRanges()) {
            any.add(SocketFilter.localPorts(r.lower(), r.upper()));
            any.add(SocketFilter.remotePorts(r.lower(), r.upper()));
        }
        return any.isEmpty() ? null : SocketFilter.anyOf(any);
    }

    private static List<SocketFilter> peering(PeerSelection peering) {
        List<SocketFilter> parts = new ArrayList<>(2);
        boolean includes = !peering.addresses().isEmpty() || !peering.networks().isEmpty();
        if (includes && peering.hosts().isEmpty()) {
            List<SocketFilter> any = new ArrayList<>();
            for (InetAddress a : peering.addresses()) {
                any.add(SocketFilter.remoteNetwork(a, a instanceof Inet4Address ? 32 : 128));
            }
            for (Cidr c : peering.networks()) {
                any.add(network(c));
            }
            parts.add(SocketFilter.anyOf(any));
        }
        if (!peering.excludedNetworks().isEmpty()) {
            List<SocketFilter> excluded = new ArrayList<>();
            for (Cidr c : peering.excludedNetworks()) {
                SocketFilter n = network(c);
                excluded.add(!c.isIpv4() && overlapsMapped(c)
                        ? SocketFilter.allOf(n, SocketFilter.not(ANY_IPV4_PEER))
                        : n);
            }
            parts.add(SocketFilter.not(SocketFilter.anyOf(excluded)));
        }
        return parts;
    }

    /** The remote-address condition for {@code c}. */
    static SocketFilter.RemoteNetwork network(Cidr c) {
        return new SocketFilter.RemoteNetwork(networkBytes(c), c.prefixLength());
    }

    /** The network address of {@code c}, 4 or 16 bytes. */
    static byte[] networkBytes(Cidr c) {
        return c.networkBytes();
    }

    /** Whether the IPv6 network {@code c} shares an address with {@code ::ffff:0:0/96}. */
    static boolean overlapsMapped(Cidr c) {
        byte[] network = networkBytes(c);
        int bits = Math.min(c.prefixLength(), 96);
        for (int i = 0; i < bits; i++) {
            int a = (network[i / 8] >> (7 - i % 8)) & 1;
            int m = (MAPPED_PREFIX[i / 8] >> (7 - i % 8)) & 1;
            if (a != m) {
                return false;
            }
        }
        return true;
    }
}
