package dev.ssexporter.core.aggregate;

import java.util.List;
import java.util.Objects;

/**
 * The aggregate results of one scrape. A part that {@code logic.aggregation} switches off is
 * empty (all-zero counts, no listeners, no services); the exporter reads the config to know which
 * parts to export.
 *
 * @param states sockets per family and state, over every TCP socket of the network namespace
 * @param listeners the listening endpoints, sorted by label
 * @param services the service aggregates of the selected connections, inbound first, then by port
 *     and peer group in config order
 * @param serviceOverflowConnections open connections counted under {@code service="other"}
 *     because {@code maxServices} was reached
 */
public record Aggregates(SocketStateCounts states, List<ListenerStats> listeners, List<ServiceStats> services,
                         long serviceOverflowConnections) {

    public Aggregates {
        Objects.requireNonNull(states, "states");
        listeners = List.copyOf(listeners);
        services = List.copyOf(services);
    }

    /** Nothing counted. */
    public static Aggregates empty() {
        return new Aggregates(SocketStateCounts.empty(), List.of(), List.of(), 0);
    }
}
