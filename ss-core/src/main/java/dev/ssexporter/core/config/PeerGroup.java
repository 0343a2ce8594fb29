package dev.ssexporter.core.config;

import dev.ssexporter.core.selection.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code logic.aggregation.services.peerGroups}: a name and the networks whose peers
 * it groups.
 *
 * @param name the {@code peer_group} label value; not empty, not {@value #OTHER}
 * @param networks at least one network
 */
public record PeerGroup(String name, List<Cidr> networks) {
    /** The group of every peer that no configured group contains. */
    public static final String OTHER = "other";

    public PeerGroup {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a peer group name must not be empty");
        }
        if (name.equals(OTHER)) {
            throw new IllegalArgumentException("the peer group name \"other\" is reserved for peers in no group");
        }
        networks = List.copyOf(networks);
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("peer group \"" + name + "\" needs at least one network");
        }
    }

    /** Whether one of the networks contains {@code peer}. */
    public boolean contains(InetAddress peer) {
        for (Cidr c : networks) {
            if (c.contains(peer)) {
                return true;
            }
        }
        return false;
    }
}
