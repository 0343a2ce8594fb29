package dev.ssexporter.exporter.internal;

import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;

/**
 * Every metric family the collector can export: name, type, unit, labels and HELP text in one
 * place, so the registration descriptors and the scraped snapshots cannot drift apart.
 *
 * <p>Names are given as client_java expects them: counters without {@code _total} and the info
 * metric without {@code _info}; the exposition formats add the suffixes.
 */
public enum Family {
    TCP_RTT(MetricType.GAUGE, "tcp_rtt", null, List.of("flow"),
            "Smoothed round-trip time of the TCP flow, in milliseconds (tcpi_rtt); the mean when"
                    + " several sockets share the flow label."),
    TCP_CWND(MetricType.GAUGE, "tcp_cwnd", null, List.of("flow"),
            "Congestion window of the TCP flow, in segments (tcpi_snd_cwnd); summed over the sockets"
                    + " that share the flow label."),
    TCP_DELIVERY_RATE(MetricType.GAUGE, "tcp_delivery_rate", null, List.of("flow"),
            "Delivery rate of the TCP flow, in bytes per second (tcpi_delivery_rate); summed over the"
                    + " sockets that share the flow label."),
    TCP_DATA_SEGS_IN(MetricType.COUNTER, "tcp_data_segs_in", null, List.of("flow"),
            "Data segments received on the TCP flow (tcpi_data_segs_in); summed over the sockets that"
                    + " share the flow label."),
    TCP_DATA_SEGS_OUT(MetricType.COUNTER, "tcp_data_segs_out", null, List.of("flow"),
            "Data segments sent on the TCP flow (tcpi_data_segs_out); summed over the sockets that"
                    + " share the flow label."),
    TCP_RTT_HIST_MS(MetricType.HISTOGRAM, "tcp_rtt_hist_ms", null, List.of(),
            "Smoothed round-trip times of the selected sockets at this scrape, in milliseconds;"
                    + " cumulative buckets, one observation per socket."),

    SCRAPE_DURATION(MetricType.GAUGE, "ss_exporter_scrape_duration_seconds", Unit.SECONDS, List.of(),
            "Wall time of the last collection (kernel dump, process attribution, selection and"
                    + " folding), in seconds."),
    SCRAPE_SUCCESS(MetricType.GAUGE, "ss_exporter_scrape_success", null, List.of(),
            "Whether the last kernel socket dump succeeded (1) or failed (0)."),
    SOCKETS_SEEN(MetricType.GAUGE, "ss_exporter_sockets_seen", null, List.of(),
            "TCP sockets the kernel reported in the last successful dump."),
    SOCKETS_SELECTED(MetricType.GAUGE, "ss_exporter_sockets_selected", null, List.of(),
            "TCP sockets that passed the selection in the last successful dump."),
    FLOWS(MetricType.GAUGE, "ss_exporter_flows", null, List.of(),
            "Flow series the last successful dump exported after label folding; at most"
                    + " logic.limits.maxFlows."),
    FLOWS_DROPPED(MetricType.COUNTER, "ss_exporter_flows_dropped", null, List.of(),
            "Flow series left out because a scrape had more flows than logic.limits.maxFlows, summed over"
                    + " the scrapes since the exporter started."),
    NETLINK_ERRORS(MetricType.COUNTER, "ss_exporter_netlink_errors", null, List.of(),
            "Kernel socket dumps that failed since the exporter started."),
    DUMP_INTERRUPTIONS(MetricType.COUNTER, "ss_exporter_dump_interruptions", null, List.of(),
            "Kernel socket dumps flagged as interrupted, because the socket table changed while it"
                    + " was read, since the exporter started."),
    PROC_ERRORS(MetricType.COUNTER, "ss_exporter_proc_errors", null, List.of(),
            "Processes the /proc walk skipped (vanished or access denied) since the exporter started."),
    RESOLVE_FAILURES(MetricType.COUNTER, "ss_exporter_resolve_failures", null, List.of(),
            "Host name lookups for the peering selection that failed since the exporter started."),
    BUILD_INFO(MetricType.INFO, "ss_exporter_build", null, List.of("version", "java_version"),
            "Version of the exporter and of the Java runtime it runs on; the value is always 1.");

    private final MetricType type;
    private final String name;
    private final Unit unit;
    private final List<String> labelNames;
    private final String help;

    Family(MetricType type, String name, Unit unit, List<String> labelNames, String help) {
        this.type = type;
        this.name = name;
        this.unit = unit;
        this.labelNames = labelNames;
        this.help = help;
    }

    /** The name as client_java takes it (no {@code _total}, no {@code _info}). */
    public String metricName() {
        return name;
    }

    public MetricType type() {
        return type;
    }

    public String help() {
        return help;
    }

    /** Sets name, HELP and unit on a snapshot builder. */
    public <B extends MetricSnapshot.Builder<B>> B describe(B builder) {
        builder.name(name).help(help);
        if (unit != null) {
            builder.unit(unit);
        }
        return builder;
    }

    /** What the registry checks at registration: name, type, HELP, unit, label names. */
    public MetricFamilyDescriptor descriptor() {
        var b = MetricFamilyDescriptor.of(type, name).help(help).labelNames(labelNames);
        if (unit != null) {
            b.unit(unit);
        }
        return b.build();
    }
}
