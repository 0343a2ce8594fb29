package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.aggregate.Aggregates;
import dev.ssexporter.core.aggregate.ListenerStats;
import dev.ssexporter.core.aggregate.ServiceStats;
import dev.ssexporter.core.aggregate.SocketStateCounts;
import dev.ssexporter.core.config.AggregationConfig;
import dev.ssexporter.core.engine.RttHistogram;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.TcpState;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The {@code logic.aggregation} families of one successful scrape. Their series count is bounded
 * by the config and the host's listeners, not by its connections:
 *
 * <pre>
 * tcp_sockets{family="ipv4",state="established"} 21980.0          (22 series, zeros included)
 * tcp_listener_accept_queue{listener="127.0.0.1:8080"} 5.0       (one per listening endpoint)
 * tcp_service_sent_bytes_total{direction="inbound",peer_group="internal",service="8080"} 1.048576E6
 * </pre>
 */
final class AggregateSnapshots {
    private AggregateSnapshots() {}

    /** Whether {@code f} is an aggregate family, and if so whether {@code a} switches it on. */
    static boolean enabled(Family f, AggregationConfig a) {
        return switch (f) {
            case TCP_SOCKETS -> a.socketStates();
            case TCP_LISTENER_ACCEPT_QUEUE, TCP_LISTENER_BACKLOG, TCP_LISTENER_SYN_RECV -> a.listeners();
            case TCP_SERVICE_CONNECTIONS, TCP_SERVICE_RTT_HIST_MS, TCP_SERVICE_SENT_BYTES, TCP_SERVICE_RECEIVED_BYTES,
                 TCP_SERVICE_RETRANSMITS, TCP_SERVICE_DATA_SEGS_IN, TCP_SERVICE_DATA_SEGS_OUT, SERVICE_OVERFLOW ->
                    a.services().active();
            default -> true;
        };
    }

    /** The families {@code config} switches on, built from {@code aggregates}. */
    static List<MetricSnapshot> of(Aggregates aggregates, AggregationConfig config) {
        List<MetricSnapshot> out = new ArrayList<>();
        if (config.socketStates()) {
            out.add(states(aggregates.states()));
        }
        if (config.listeners()) {
            List<ListenerStats> l = aggregates.listeners();
            out.add(listenerGauge(Family.TCP_LISTENER_ACCEPT_QUEUE, l, ListenerStats::acceptQueue));
            out.add(listenerGauge(Family.TCP_LISTENER_BACKLOG, l, ListenerStats::backlog));
            out.add(listenerGauge(Family.TCP_LISTENER_SYN_RECV, l, ListenerStats::synRecv));
        }
        if (config.services().active()) {
            List<ServiceStats> s = aggregates.services();
            Labels[] labels = new Labels[s.size()];
            for (int i = 0; i < labels.length; i++) {
                ServiceStats x = s.get(i);
                labels[i] = Labels.of("direction", x.direction(), "service", x.service(), "peer_group", x.peerGroup());
            }
            GaugeSnapshot.Builder open = Family.TCP_SERVICE_CONNECTIONS.describe(GaugeSnapshot.builder());
            HistogramSnapshot.Builder rtt = Family.TCP_SERVICE_RTT_HIST_MS.describe(HistogramSnapshot.builder());
            for (int i = 0; i < labels.length; i++) {
                open.dataPoint(GaugeDataPointSnapshot.builder().labels(labels[i]).value(s.get(i).connections()).build());
                rtt.dataPoint(histogramPoint(s.get(i).rtt(), labels[i]));
            }
            out.add(open.build());
            out.add(rtt.build());
            out.add(serviceCounter(Family.TCP_SERVICE_SENT_BYTES, s, labels, ServiceStats::bytesSent));
            out.add(serviceCounter(Family.TCP_SERVICE_RECEIVED_BYTES, s, labels, ServiceStats::bytesReceived));
            out.add(serviceCounter(Family.TCP_SERVICE_RETRANSMITS, s, labels, ServiceStats::retransmits));
            out.add(serviceCounter(Family.TCP_SERVICE_DATA_SEGS_IN, s, labels, ServiceStats::dataSegsIn));
            out.add(serviceCounter(Family.TCP_SERVICE_DATA_SEGS_OUT, s, labels, ServiceStats::dataSegsOut));
            out.add(Family.SERVICE_OVERFLOW.describe(GaugeSnapshot.builder())
                    .dataPoint(GaugeDataPointSnapshot.builder().value(aggregates.serviceOverflowConnections()).build())
                    .build());
        }
        return out;
    }

    private static GaugeSnapshot states(SocketStateCounts counts) {
        GaugeSnapshot.Builder b = Family.TCP_SOCKETS.describe(GaugeSnapshot.builder());
        for (AddressFamily f : AddressFamily.values()) {
            for (TcpState s : SocketStateCounts.STATES) {
                b.dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("family", SocketStateCounts.familyLabel(f),
                                "state", SocketStateCounts.stateLabel(s)))
                        .value(counts.count(f, s))
                        .build());
            }
        }
        return b.build();
    }

    private static GaugeSnapshot listenerGauge(Family f, List<ListenerStats> listeners,
                                               ToLongFunction<ListenerStats> value) {
        GaugeSnapshot.Builder b = f.describe(GaugeSnapshot.builder());
        for (ListenerStats l : listeners) {
            b.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("listener", l.listener()))
                    .value(value.applyAsLong(l))
                    .build());
        }
        return b.build();
    }

    private static CounterSnapshot serviceCounter(Family f, List<ServiceStats> services, Labels[] labels,
                                                  ToLongFunction<ServiceStats> value) {
        CounterSnapshot.Builder b = f.describe(CounterSnapshot.builder());
        for (int i = 0; i < labels.length; i++) {
            b.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(labels[i])
                    .value(value.applyAsLong(services.get(i)))
                    .build());
        }
        return b.build();
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot histogramPoint(RttHistogram rtt, Labels labels) {
        return ScrapeSnapshots.histogramPoint(rtt).labels(labels).build();
    }
}
