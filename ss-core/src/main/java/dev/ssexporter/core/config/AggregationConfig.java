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

    /**
     * What a config file without {@code logic.aggregation} gets when its selection has no
     * kernel-side filter (the default selection): states and listeners on, services off.
     */
    public static AggregationConfig defaults() {
        return defaultsFor(false);
    }

    /**
     * What a config file without {@code logic.aggregation} gets: services off; socket states and
     * listeners on unless {@code kernelFiltered}. With a selection the kernel filters (port ranges,
     * peering networks), the scrape's dump holds only the selected sockets, so counting every
     * socket would take a second dump of the whole socket table on each scrape, about as costly as
     * an unfiltered one; that costs more than the selection saves, so there they are on only when
     * asked for.
     *
     * @param kernelFiltered whether the selection's dump carries a kernel-side filter
     */
    public static AggregationConfig defaultsFor(boolean kernelFiltered) {
        return new AggregationConfig(!kernelFiltered, !kernelFiltered, ServicesConfig.off());
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
