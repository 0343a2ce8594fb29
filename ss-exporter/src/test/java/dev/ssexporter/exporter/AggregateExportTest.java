package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.BOUNDS;
import static dev.ssexporter.exporter.Fixtures.BUILD;
import static dev.ssexporter.exporter.Fixtures.allMetrics;
import static dev.ssexporter.exporter.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.aggregate.Aggregates;
import dev.ssexporter.core.aggregate.ListenerStats;
import dev.ssexporter.core.aggregate.ServiceStats;
import dev.ssexporter.core.aggregate.SocketStateCounts;
import dev.ssexporter.core.config.AggregationConfig;
import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.core.config.ServicesConfig;
import dev.ssexporter.core.engine.RttHistogram;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.core.folding.LabelFolding;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.TcpState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The aggregate families as exposed, and docs/metrics.md's samples of them. */
class AggregateExportTest {
    static final AggregationConfig ALL = new AggregationConfig(true, true, new ServicesConfig(true, List.of(), 100));
    /** Per-flow families off: the aggregation mode. */
    static final MetricsConfig NO_FLOWS = new MetricsConfig(false, BOUNDS, false, false, false, false, false);

    /** Two flows plus aggregates: a few socket states, two listeners, two service aggregates. */
    static Scrape withAggregates() {
        Scrape base = Fixtures.twoFlows();
        SocketStateCounts states = SocketStateCounts.empty()
                .with(AddressFamily.INET, TcpState.ESTABLISHED, 21980)
                .with(AddressFamily.INET, TcpState.LISTEN, 9)
                .with(AddressFamily.INET, TcpState.TIME_WAIT, 150)
                .with(AddressFamily.INET6, TcpState.LISTEN, 1);
        Aggregates a = new Aggregates(states,
                List.of(new ListenerStats("127.0.0.1:8080", 5, 8, 0, 1), new ListenerStats("[::]:443", 0, 4096, 2, 1)),
                List.of(new ServiceStats("inbound", "443", "internal", 2,
                                new RttHistogram(BOUNDS, new long[] {0, 1, 2, 2, 2}, 2, 3.5),
                                1_048_576, 20_480, 3, 40, 800),
                        new ServiceStats("outbound", "5432", "other", 1,
                                new RttHistogram(BOUNDS, new long[] {1, 1, 1, 1, 1}, 1, 0.05),
                                4096, 65_536, 0, 50, 12)),
                0);
        return new Scrape(base.flows(), base.rtt(), base.stats(), a);
    }

    private static SocketStatsCollector.Builder collector(MetricsConfig metrics, AggregationConfig aggregation) {
        return SocketStatsCollector.builder()
                .config(new ExporterConfig(metrics, LabelFolding.RAW_ENDPOINT, SelectionConfig.none(), aggregation))
                .scrapeSource(AggregateExportTest::withAggregates).buildInfo(BUILD);
    }

    @Test
    void aggregationModeExportsTheAggregatesAndNoFlow() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = collector(NO_FLOWS, ALL).register(registry)) {
            String text = text(registry);
            assertThat(text).doesNotContain("flow=").contains("""
                    # HELP tcp_listener_accept_queue Connections established and waiting for accept() on the listening endpoint (idiag_rqueue of the LISTEN socket).
                    # TYPE tcp_listener_accept_queue gauge
                    tcp_listener_accept_queue{listener="127.0.0.1:8080"} 5.0
                    tcp_listener_accept_queue{listener="[::]:443"} 0.0
                    """).contains("""
                    # TYPE tcp_service_rtt_hist_ms histogram
                    tcp_service_rtt_hist_ms_bucket{direction="inbound",peer_group="internal",service="443",le="0.1"} 0
                    tcp_service_rtt_hist_ms_bucket{direction="inbound",peer_group="internal",service="443",le="1.0"} 1
                    tcp_service_rtt_hist_ms_bucket{direction="inbound",peer_group="internal",service="443",le="10.0"} 2
                    tcp_service_rtt_hist_ms_bucket{direction="inbound",peer_group="internal",service="443",le="100.0"} 2
                    tcp_service_rtt_hist_ms_bucket{direction="inbound",peer_group="internal",service="443",le="+Inf"} 2
                    tcp_service_rtt_hist_ms_count{direction="inbound",peer_group="internal",service="443"} 2
                    tcp_service_rtt_hist_ms_sum{direction="inbound",peer_group="internal",service="443"} 3.5
                    """).contains("""
                    # TYPE tcp_service_sent_bytes_total counter
                    tcp_service_sent_bytes_total{direction="inbound",peer_group="internal",service="443"} 1048576.0
                    tcp_service_sent_bytes_total{direction="outbound",peer_group="other",service="5432"} 4096.0
                    """).contains("ss_exporter_service_overflow_connections 0.0\n");
            assertThat(Pattern.compile("(?m)^tcp_sockets\\{").matcher(text).results().count())
                    .as("every family and state, zeros included").isEqualTo(22);
            assertThat(text).contains("tcp_sockets{family=\"ipv4\",state=\"established\"} 21980.0\n",
                    "tcp_sockets{family=\"ipv6\",state=\"syn_recv\"} 0.0\n");
        }
    }

    @Test
    void switchedOffAggregatesAreNotExported() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = collector(allMetrics(), AggregationConfig.none()).register(registry)) {
            String text = text(registry);
            assertThat(text).contains("tcp_rtt{").doesNotContain("tcp_sockets", "tcp_listener_", "tcp_service_",
                    "ss_exporter_service_overflow");
        }
        PrometheusRegistry defaults = new PrometheusRegistry();
        try (var _ = collector(allMetrics(), AggregationConfig.defaults()).register(defaults)) {
            assertThat(text(defaults)).contains("tcp_sockets{", "tcp_listener_backlog{")
                    .doesNotContain("tcp_service_");
        }
    }

    @Test
    void theRegisteredDescriptorsNameExactlyTheExportedFamilies() throws Exception {
        for (AggregationConfig a : List.of(ALL, AggregationConfig.defaults(), AggregationConfig.none(),
                new AggregationConfig(false, true, ServicesConfig.off()))) {
            try (SocketStatsCollector collector = collector(NO_FLOWS, a).build()) {
                assertThat(collector.getMetricFamilyDescriptors().stream()
                        .map(io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor::getPrometheusName).sorted())
                        .as("%s", a)
                        .containsExactlyElementsOf(collector.collect().stream()
                                .map(m -> m.getMetadata().getPrometheusName()).sorted().toList());
            }
        }
    }

    /** Every sample line under an aggregate family's heading in docs/metrics.md is a line of the real exposition. */
    @Test
    void theDocumentedSamplesAreRealLines() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        String text;
        try (var _ = collector(NO_FLOWS, ALL).register(registry)) {
            text = text(registry);
        }
        String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
        int from = doc.indexOf("## Aggregate metrics");
        assertThat(from).as("docs/metrics.md has a section '## Aggregate metrics'").isNotNegative();
        String section = doc.substring(from, doc.indexOf("\n## ", from + 1));
        int samples = 0;
        String fence = null;
        for (String line : section.lines().toList()) {
            if (line.startsWith("```")) {
                fence = fence == null ? line.substring(3) : null;
            } else if ("".equals(fence) && !line.isBlank()) {
                assertThat(text).as("sample line of docs/metrics.md").contains(line + "\n");
                samples++;
            }
        }
        assertThat(samples).as("samples in the aggregate section").isGreaterThanOrEqualTo(11);
    }
}
