package dev.ssexporter.core.selection;

import dev.ssexporter.core.config.PeerSelection;
import dev.ssexporter.core.config.ProcessSelection;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.core.process.ProcessInfo;
import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.core.process.SocketOwners;
import dev.ssexporter.netlink.SocketRecord;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides which sockets are exported ({@code logic.selection}). Sections are AND-ed, entries
 * within a section are OR-ed, and an empty section is no condition:
 *
 * <ul>
 *   <li>{@code process}: one of the socket's owning processes has a pid in {@code pids}, or a
 *       comm name or executable basename in {@code cmds}. A socket with no known owner (no
 *       {@code /proc} entry, or none readable) does not match an active process section.
 *   <li>{@code peering}: the remote address is one of {@code addresses}, lies in one of
 *       {@code networks}, or is one of the addresses {@code hosts} currently resolve to; and it
 *       lies in none of {@code excludedNetworks}. With only exclusions, every peer outside them
 *       matches. An IPv4 entry matches an IPv4-mapped IPv6 peer: the JDK (and the netlink reader)
 *       represent {@code ::ffff:a.b.c.d} as an {@link java.net.Inet4Address}, and networks compare
 *       mapped bytes explicitly.
 *   <li>{@code portRanges}: the local <em>or</em> the remote port lies in one of the ranges. The
 *       original exporter checked only the destination (remote) port, so connections accepted by
 *       a local server on port 443 never matched {@code 80..443}; here they do.
 * </ul>
 *
 * <p>TCP states are not checked here: the kernel dump is already limited to the configured
 * states. The selector is immutable and thread-safe; the host set is read from the supplier on
 * each call that needs it. {@link #matches} does not box, and allocates only the copy of the
 * remote address bytes {@link InetAddress#getAddress()} returns, once per socket and only when
 * networks are configured.
 *
 * <pre>{@code
 * FlowSelector selector = FlowSelector.of(config.selection(), hostResolver::addresses);
 * if (selector.matches(socket, processTable)) { ... }
 * }</pre>
 */
public final class FlowSelector {
    private static final Supplier<Set<InetAddress>> NO_HOSTS = Set::of;

    private final boolean processActive;
    private final int[] pids;
    private final Set<String> cmds;
    private final boolean peeringActive;
    private final boolean peeringIncludes;
    private final Set<InetAddress> addresses;
    private final Cidr[] networks;
    private final Cidr[] excluded;
    private final boolean hostsActive;
    private final Supplier<Set<InetAddress>> hostAddresses;
    private final int[] portLower;
    private final int[] portUpper;

    private FlowSelector(SelectionConfig config, Supplier<Set<InetAddress>> hostAddresses) {
        ProcessSelection process = config.process();
        this.processActive = process.isActive();
        this.pids = process.pids().stream().mapToInt(Integer::intValue).sorted().toArray();
        this.cmds = Set.copyOf(process.cmds());
        PeerSelection peering = config.peering();
        this.peeringActive = peering.isActive();
        this.peeringIncludes = peering.hasIncludes();
        this.addresses = Set.copyOf(peering.addresses());
        this.networks = peering.networks().toArray(new Cidr[0]);
        this.excluded = peering.excludedNetworks().toArray(new Cidr[0]);
        this.hostsActive = !peering.hosts().isEmpty();
        this.hostAddresses = hostAddresses;
        List<PortRange> ranges = config.portRanges();
        this.portLower = new int[ranges.size()];
        this.portUpper = new int[ranges.size()];
        for (int i = 0; i < portLower.length; i++) {
            portLower[i] = ranges.get(i).lower();
            portUpper[i] = ranges.get(i).upper();
        }
    }

    /**
     * A selector for {@code config}.
     *
     * @param hostAddresses the addresses {@code peering.hosts} currently resolve to (normally
     *     {@code HostResolver::addresses}); called during {@link #matches}, so it must be cheap and
     *     never block
     */
    public static FlowSelector of(SelectionConfig config, Supplier<Set<InetAddress>> hostAddresses) {
        return new FlowSelector(Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(hostAddresses, "hostAddresses"));
    }

    /** A selector for a config without {@code hosts}: any {@code hosts} entry would match nothing. */
    public static FlowSelector of(SelectionConfig config) {
        return of(config, NO_HOSTS);
    }

    /** Whether every socket matches, so callers may skip {@link #matches} entirely. */
    public boolean selectsAll() {
        return !processActive && !peeringActive && portLower.length == 0;
    }

    /**
     * Whether {@code socket} passes every active section.
     *
     * @param procs the process table of this scrape; {@link ProcessTable#empty()} is fine when
     *     the process section is not active
     */
    public boolean matches(SocketRecord socket, ProcessTable procs) {
        return (portLower.length == 0 || portsMatch(socket.localPort(), socket.remotePort()))
                && (!peeringActive || peerMatches(socket.remoteAddress()))
                && (!processActive || processMatches(procs.owners(socket.inode())));
    }

    private boolean portsMatch(int local, int remote) {
        for (int i = 0; i < portLower.length; i++) {
            int lo = portLower[i];
            int hi = portUpper[i];
            if (local >= lo && local <= hi || remote >= lo && remote <= hi) {
                return true;
            }
        }
        return false;
    }

    private boolean peerMatches(InetAddress peer) {
        byte[] bytes = networks.length + excluded.length == 0 ? null : peer.getAddress();
        if (peeringIncludes && !included(peer, bytes)) {
            return false;
        }
        for (Cidr c : excluded) {
            if (c.contains(bytes)) {
                return false;
            }
        }
        return true;
    }

    private boolean included(InetAddress peer, byte[] bytes) {
        if (addresses.contains(peer)) {
            return true;
        }
        for (Cidr c : networks) {
            if (c.contains(bytes)) {
                return true;
            }
        }
        return hostsActive && hostAddresses.get().contains(peer);
    }

    private boolean processMatches(SocketOwners owners) {
        for (int i = 0, n = owners.size(); i < n; i++) {
            ProcessInfo p = owners.get(i);
            if (pids.length > 0 && Arrays.binarySearch(pids, p.pid()) >= 0) {
                return true;
            }
            if (!cmds.isEmpty() && (cmds.contains(p.comm()) || p.exeName() != null && cmds.contains(p.exeName()))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "FlowSelector[pids=" + Arrays.toString(pids) + ", cmds=" + cmds + ", addresses=" + addresses
                + ", networks=" + Arrays.toString(networks) + ", excluded=" + Arrays.toString(excluded)
                + ", hosts=" + hostsActive + ", ports=" + portRangesText() + "]";
    }

    private String portRangesText() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < portLower.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(portLower[i]).append('-').append(portUpper[i]);
        }
        return sb.append(']').toString();
    }
}
