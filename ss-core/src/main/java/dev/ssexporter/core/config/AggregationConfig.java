package dev.ssexporter.core.config;

import java.util.Objects;

/**
 * {@code logic.aggregation}: the families that sum sockets instead of listing flows. Socket
 * states and listeners count every TCP socket of the network namespace, whatever the selection;
 * services sum the selected connections.
 *
 * @param socketStates {@code tcp_sockets}: sockets per address family and state
 * @param listeners {@code tcp_listener_*}: accept queue, backlog and SYN_RECV count per listener
 * @param services {@code tcp_service_*}
 */
public record AggregationConfig(boolean socketStates, boolean listeners, ServicesConfig services) {

    public AggregationConfig {
        Objects.requireNonNull(services, "services");
    }

    /** What a config file without {@code logic.aggregation} gets: states and listeners on, services off. */
    public static AggregationConfig defaults() {
        return new AggregationConfig(true, true, ServicesConfig.off());
    }

    /** Everything off, as before aggregation existed. */
    public static AggregationConfig none() {
        return new AggregationConfig(false, false, ServicesConfig.off());
    }

    /** Whether any aggregate family is on, so the engine must look at sockets outside the selection. */
    public boolean any() {
        return socketStates || listeners || services.active();
    }

}
