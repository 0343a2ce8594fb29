package dev.ssexporter.core.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code logic.aggregation.services}: connections summed per direction, service port and peer
 * group.
 *
 * @param active whether the {@code tcp_service_*} families are exported
 * @param peerGroups the named peer networks, in the order they are tried (first match wins)
 * @param maxServices the most distinct (direction, port) services kept; further ones are counted
 *     under {@code service="other"}
 */
public record ServicesConfig(boolean active, List<PeerGroup> peerGroups, int maxServices) {
    /** The default {@link #maxServices}. */
    public static final int DEFAULT_MAX_SERVICES = 100;
    /** The largest {@link #maxServices} accepted. */
    public static final int MAX_MAX_SERVICES = 10_000;

    public ServicesConfig {
        peerGroups = List.copyOf(peerGroups);
        Set<String> names = new HashSet<>();
        for (PeerGroup g : peerGroups) {
            if (!names.add(g.name())) {
                throw new IllegalArgumentException("peer group \"" + g.name() + "\" is given twice");
            }
        }
        if (maxServices < 1 || maxServices > MAX_MAX_SERVICES) {
            throw new IllegalArgumentException("maxServices must be in 1.." + MAX_MAX_SERVICES + ", got " + maxServices);
        }
    }

    /** Off, no peer groups, the default cap. */
    public static ServicesConfig off() {
        return new ServicesConfig(false, List.of(), DEFAULT_MAX_SERVICES);
    }
}
