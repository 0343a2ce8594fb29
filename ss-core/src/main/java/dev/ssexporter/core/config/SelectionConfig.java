package dev.ssexporter.core.config;

import dev.ssexporter.core.selection.PortRange;
import dev.ssexporter.netlink.TcpState;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code logic.selection}: which sockets are exported. Sections are AND-ed; entries within a
 * section are OR-ed; an empty section is no condition.
 *
 * @param states TCP states to dump ({@code logic.selection.states}; default: the connected states)
 * @param process {@code logic.selection.process}
 * @param peering {@code logic.selection.peering}
 * @param portRanges {@code logic.selection.portRanges}: a socket matches when its local or its
 *     remote port lies in one of the ranges
 */
public record SelectionConfig(Set<TcpState> states, ProcessSelection process, PeerSelection peering,
                              List<PortRange> portRanges) {

    public SelectionConfig {
        Objects.requireNonNull(states, "states");
        if (states.isEmpty()) {
            throw new IllegalArgumentException("logic.selection.states: at least one TCP state is needed");
        }
        states = Set.copyOf(EnumSet.copyOf(states));
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(peering, "peering");
        portRanges = List.copyOf(portRanges);
    }

    /** No condition: every socket in the connected states. */
    public static SelectionConfig none() {
        return new SelectionConfig(TcpState.connected(), ProcessSelection.none(), PeerSelection.none(), List.of());
    }
}
