package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.BOUNDS;
import static dev.ssexporter.exporter.Fixtures.V4_FLOW;
import static dev.ssexporter.exporter.Fixtures.V6_FLOW;
import static dev.ssexporter.exporter.Fixtures.collector;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.engine.FlowSample;
import dev.ssexporter.core.engine.RttHistogram;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.core.engine.ScrapeStats;
import dev.ssexporter.core.signals.SignalValues;
import dev.ssexporter.core.signals.TcpSignal;
import dev.ssexporter.exporter.internal.Family;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The opt-in signal families in the snapshot path (text and OpenMetrics) and at registration. */
class SignalFamiliesTest {
    private static final MetricsConfig ONLY_SIGNALS = new MetricsConfig(false, BOUNDS, false, false, false, false,
            false, EnumSet.of(TcpSignal.MIN_RTT, TcpSignal.BYTES_ACKED, TcpSignal.BUSY_TIME));

    private static Scrape scrape() {
        return new Scrape(List.of(
                new FlowSample(V4_FLOW, 53.376, 10, 1_234_567, 120, 95, 1, SignalValues.of(Map.of(
                        TcpSignal.MIN_RTT, 0.051, TcpSignal.BYTES_ACKED, 48_213.0, TcpSignal.BUSY_TIME, 0.184,
                        TcpSignal.LOST, 2.0))),
                // An old kernel's socket: no bytes_acked, no busy time.
                new FlowSample(V6_FLOW, 0.038, 20, 987_654, 4, 3, 1, SignalValues.of(Map.of(TcpSignal.MIN_RTT, 3.1e-5)))),
                new RttHistogram(BOUNDS, new long[] {1, 1, 1, 2, 2}, 2, 53.414),
                new ScrapeStats(true, null, 0.0125, 57, 2, 2, false, 0, 0, 0, 0));
    }

    @Test
    void onlyTheSwitchedOnSignalsAreRegisteredAndExposedWithoutAbsentFlows() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (SocketStatsCollector c = collector(ONLY_SIGNALS, SignalFamiliesTest::scrape).register(registry)) {
            assertThat(c.getMetricFamilyDescriptors()).extracting(d -> d.getMetadata().getName())
                    .contains("tcp_min_rtt_seconds", "tcp_acked_bytes", "tcp_busy_seconds")
                    .doesNotContain("tcp_rtt", "tcp_lost_segs", "tcp_rttvar_seconds");
            String text = Fixtures.text(registry);
            assertThat(text).contains("""
                    # HELP tcp_acked_bytes_total Bytes sent on the TCP flow and acknowledged by the peer (tcpi_bytes_acked); summed over the sockets that share the flow label.
                    # TYPE tcp_acked_bytes_total counter
                    tcp_acked_bytes_total{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 48213.0
                    # HELP tcp_busy_seconds_total Time the TCP flow had data in flight, in seconds (tcpi_busy_time); summed over the sockets that share the flow label.
                    # TYPE tcp_busy_seconds_total counter
                    tcp_busy_seconds_total{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 0.184
                    # HELP tcp_min_rtt_seconds Minimum round-trip time seen on the TCP flow, in seconds (tcpi_min_rtt); the smallest over the sockets that share the flow label.
                    # TYPE tcp_min_rtt_seconds gauge
                    tcp_min_rtt_seconds{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 0.051
                    tcp_min_rtt_seconds{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 3.1E-5
                    """);
            assertThat(text).doesNotContain("tcp_lost_segs", "tcp_rtt{", "tcp_rtt_hist_ms");

            ByteArrayOutputStream om = new ByteArrayOutputStream();
            OpenMetricsTextFormatWriter.create().write(om, registry.scrape());
            assertThat(om.toString(StandardCharsets.UTF_8)).contains(
                    "# TYPE tcp_min_rtt_seconds gauge\n# UNIT tcp_min_rtt_seconds seconds\n",
                    "# TYPE tcp_acked_bytes counter\n# UNIT tcp_acked_bytes bytes\n",
                    "tcp_busy_seconds_total{flow=\"(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)\"} 0.184\n");
        }
    }

    @Test
    void everySignalHasItsOwnFamilyOfItsType() {
        for (TcpSignal s : TcpSignal.values()) {
            Family f = Family.of(s);
            assertThat(f.signal()).isSameAs(s);
            assertThat(f.type().name()).as(s.name()).isEqualTo(s.counter() ? "COUNTER" : "GAUGE");
            assertThat(f.descriptor().getLabelNames()).containsExactly("flow");
        }
    }
}
