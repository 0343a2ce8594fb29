package dev.ssexporter.core.config;

import dev.ssexporter.core.selection.Cidr;
import java.net.InetAddress;
import java.util.List;

/**
 * {@code logic.selection.peering}: a socket matches when its remote address is one of
 * {@code addresses}, lies in one of {@code networks}, or is one of the addresses {@code hosts}
 * resolve to; and does not lie in any of {@code excludedNetworks}. All empty: no condition.
 *
 * @param addresses peer addresses; an IPv4 entry also matches IPv4-mapped IPv6 peers
 * @param networks included networks ({@code networks: [...]} or {@code networks.include})
 * @param excludedNetworks {@code networks.exclude}
 * @param hosts host names, resolved with the system resolver and re-resolved periodically
 */
public record PeerSelection(List<InetAddress> addresses, List<Cidr> networks, List<Cidr> excludedNetworks,
                            List<String> hosts) {

    public PeerSelection {
        addresses = List.copyOf(addresses);
        networks = List.copyOf(networks);
        excludedNetworks = List.copyOf(excludedNetworks);
        hosts = List.copyOf(hosts);
    }

    public static PeerSelection none() {
        return new PeerSelection(List.of(), List.of(), List.of(), List.of());
    }

    /** Whether any include condition is set (addresses, networks or hosts). */
    public boolean hasIncludes() {
        return !addresses.isEmpty() || !networks.isEmpty() || !hosts.isEmpty();
    }

    /** Whether this section sets any condition. */
    public boolean isActive() {
        return hasIncludes() || !excludedNetworks.isEmpty();
    }
}
