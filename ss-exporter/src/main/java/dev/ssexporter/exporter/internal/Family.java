package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.signals.TcpSignal;
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

    TCP_UNRECOVERED_RETRANSMITS(TcpSignal.RETRANSMITS, "tcp_unrecovered_retransmits", null,
            "RTO timeouts in a row without recovery on the TCP flow (tcpi_retransmits); the largest"
                    + " over the sockets that share the flow label."),
    TCP_RETRANS_SEGS(TcpSignal.TOTAL_RETRANS, "tcp_retrans_segs", null,
            "Segments retransmitted on the TCP flow (tcpi_total_retrans); summed over the sockets that"
                    + " share the flow label."),
    TCP_LOST_SEGS(TcpSignal.LOST, "tcp_lost_segs", null,
            "Segments of the TCP flow currently estimated lost (tcpi_lost); summed over the sockets that"
                    + " share the flow label."),
    TCP_ACKED_BYTES(TcpSignal.BYTES_ACKED, "tcp_acked_bytes", Unit.BYTES,
            "Bytes sent on the TCP flow and acknowledged by the peer (tcpi_bytes_acked); summed over the"
                    + " sockets that share the flow label."),
    TCP_RECEIVED_BYTES(TcpSignal.BYTES_RECEIVED, "tcp_received_bytes", Unit.BYTES,
            "Bytes received on the TCP flow (tcpi_bytes_received); summed over the sockets that share the"
                    + " flow label."),
    TCP_MIN_RTT_SECONDS(TcpSignal.MIN_RTT, "tcp_min_rtt_seconds", Unit.SECONDS,
            "Minimum round-trip time seen on the TCP flow, in seconds (tcpi_min_rtt); the smallest over"
                    + " the sockets that share the flow label."),
    TCP_RTTVAR_SECONDS(TcpSignal.RTTVAR, "tcp_rttvar_seconds", Unit.SECONDS,
            "Round-trip time mean deviation of the TCP flow, in seconds (tcpi_rttvar); the mean when"
                    + " several sockets share the flow label."),
    TCP_PACING_RATE(TcpSignal.PACING_RATE, "tcp_pacing_rate_bytes_per_second", new Unit("bytes_per_second"),
            "Pacing rate of the TCP flow, in bytes per second (tcpi_pacing_rate); summed over the sockets"
                    + " that share the flow label."),
    TCP_NOTSENT_BYTES(TcpSignal.NOTSENT_BYTES, "tcp_notsent_bytes", Unit.BYTES,
            "Bytes written to the TCP flow and not yet sent (tcpi_notsent_bytes); summed over the sockets"
                    + " that share the flow label."),
    TCP_BUSY_SECONDS(TcpSignal.BUSY_TIME, "tcp_busy_seconds", Unit.SECONDS,
            "Time the TCP flow had data in flight, in seconds (tcpi_busy_time); summed over the sockets"
                    + " that share the flow label."),
    TCP_RWND_LIMITED_SECONDS(TcpSignal.RWND_LIMITED, "tcp_rwnd_limited_seconds", Unit.SECONDS,
            "Time the TCP flow was limited by the peer's receive window, in seconds (tcpi_rwnd_limited);"
                    + " summed over the sockets that share the flow label."),
    TCP_SNDBUF_LIMITED_SECONDS(TcpSignal.SNDBUF_LIMITED, "tcp_sndbuf_limited_seconds", Unit.SECONDS,
            "Time the TCP flow was limited by its send buffer, in seconds (tcpi_sndbuf_limited); summed"
                    + " over the sockets that share the flow label."),

    TCP_RTT_HIST_MS(MetricType.HISTOGRAM, "tcp_rtt_hist_ms", null, List.of(),
            "Smoothed round-trip times of the selected sockets at this scrape, in milliseconds;"
                    + " cumulative buckets, one observation per socket."),

    TCP_SOCKETS(MetricType.GAUGE, "tcp_sockets", null, List.of("family", "state"),
            "TCP sockets in the network namespace by address family and state, whatever the selection."),
    TCP_LISTENER_ACCEPT_QUEUE(MetricType.GAUGE, "tcp_listener_accept_queue", null, List.of("listener"),
            "Connections established and waiting for accept() on the listening endpoint (idiag_rqueue of"
                    + " the LISTEN socket)."),
    TCP_LISTENER_BACKLOG(MetricType.GAUGE, "tcp_listener_backlog", null, List.of("listener"),
            "Most connections the accept queue of the listening endpoint holds: the listen() backlog, at"
                    + " most net.core.somaxconn (idiag_wqueue of the LISTEN socket)."),
    TCP_LISTENER_SYN_RECV(MetricType.GAUGE, "tcp_listener_syn_recv", null, List.of("listener"),
            "Handshakes in progress (SYN_RECV sockets) on the listening endpoint."),
    TCP_SERVICE_CONNECTIONS(MetricType.GAUGE, "tcp_service_connections", null, Labels.SERVICE,
            "Open connections of the service aggregate at this scrape."),
    TCP_SERVICE_RTT_HIST_MS(MetricType.HISTOGRAM, "tcp_service_rtt_hist_ms", null, Labels.SERVICE,
            "Smoothed round-trip times of the open connections of the service aggregate at this scrape,"
                    + " in milliseconds; cumulative buckets, one observation per connection."),
    TCP_SERVICE_SENT_BYTES(MetricType.COUNTER, "tcp_service_sent_bytes", Unit.BYTES, Labels.SERVICE,
            "Bytes sent and acknowledged by the peers on the connections of the service aggregate"
                    + " (tcpi_bytes_acked), closed connections included."),
    TCP_SERVICE_RECEIVED_BYTES(MetricType.COUNTER, "tcp_service_received_bytes", Unit.BYTES, Labels.SERVICE,
            "Bytes received on the connections of the service aggregate (tcpi_bytes_received), closed"
                    + " connections included."),
    TCP_SERVICE_RETRANSMITS(MetricType.COUNTER, "tcp_service_retransmits", null, Labels.SERVICE,
            "Segments retransmitted on the connections of the service aggregate (tcpi_total_retrans),"
                    + " closed connections included."),
    TCP_SERVICE_DATA_SEGS_IN(MetricType.COUNTER, "tcp_service_data_segs_in", null, Labels.SERVICE,
            "Data segments received on the connections of the service aggregate (tcpi_data_segs_in),"
                    + " closed connections included."),
    TCP_SERVICE_DATA_SEGS_OUT(MetricType.COUNTER, "tcp_service_data_segs_out", null, Labels.SERVICE,
            "Data segments sent on the connections of the service aggregate (tcpi_data_segs_out), closed"
                    + " connections included."),

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
    CONFIG_LAST_RELOAD_SUCCESSFUL(MetricType.GAUGE, "ss_exporter_config_last_reload_successful", null, List.of(),
            "Whether the last configuration reload succeeded (1) or failed (0); 1 at start-up."),
    CONFIG_LAST_RELOAD_SUCCESS_TIMESTAMP(MetricType.GAUGE, "ss_exporter_config_last_reload_success_timestamp_seconds",
            Unit.SECONDS, List.of(),
            "When the configuration being served was loaded (at start-up or by the last successful reload),"
                    + " in seconds since the Unix epoch."),
    CONFIG_RELOADS(MetricType.COUNTER, "ss_exporter_config_reloads", null, List.of("result"),
            "Configuration reloads (SIGHUP or POST /-/reload) since the exporter started, by result: success"
                    + " or failure."),
    NETNS_COLLECTED(MetricType.GAUGE, "ss_exporter_netns_collected", null, List.of(),
            "Network namespaces whose sockets the last scrape read; exported when several are configured."),
    NETNS_SOCKETS_SEEN(MetricType.GAUGE, "ss_exporter_netns_sockets_seen", null, List.of("netns"),
            "TCP sockets the kernel reported in the network namespace in the last scrape, when it was read."),
    NETNS_SCRAPE_SUCCESS(MetricType.GAUGE, "ss_exporter_netns_scrape_success", null, List.of("netns"),
            "Whether the network namespace was read (1) or not (0) in the last scrape."),
    NETNS_ERRORS(MetricType.COUNTER, "ss_exporter_netns_errors", null, List.of("netns"),
            "Failures reading the network namespace since the exporter found it: failed dumps, and scrapes"
                    + " at which its file was gone or could not be opened."),
    BUILD_INFO(MetricType.INFO, "ss_exporter_build", null, List.of("version", "java_version"),
            "Version of the exporter and of the Java runtime it runs on; the value is always 1."),
    SERVICE_OVERFLOW(MetricType.GAUGE, "ss_exporter_service_overflow_connections", null, List.of(),
            "Open connections counted under service=\"other\" because logic.aggregation.services.maxServices"
                    + " services already have their own label.");

    /** Label names shared by several families. */
    private static final class Labels {
        static final List<String> SERVICE = List.of("direction", "service", "peer_group");
    }

    private final MetricType type;
    private final String name;
    private final Unit unit;
    private final List<String> labelNames;
    private final String help;
    private final TcpSignal signal;

    Family(MetricType type, String name, Unit unit, List<String> labelNames, String help) {
        this.type = type;
        this.name = name;
        this.unit = unit;
        this.labelNames = labelNames;
        this.help = help;
        this.signal = null;
    }

    /** A per-flow family of an opt-in signal: a counter or gauge as the signal is, labelled by flow. */
    Family(TcpSignal signal, String name, Unit unit, String help) {
        this.type = signal.counter() ? MetricType.COUNTER : MetricType.GAUGE;
        this.name = name;
        this.unit = unit;
        this.labelNames = List.of("flow");
        this.help = help;
        this.signal = signal;
    }

    /** The opt-in signal this family exports, or null for the other families. */
    public TcpSignal signal() {
        return signal;
    }

    /** The family that exports {@code signal}. */
    public static Family of(TcpSignal signal) {
        for (Family f : values()) {
            if (f.signal == signal) {
                return f;
            }
        }
        throw new IllegalArgumentException("no family exports " + signal);
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
