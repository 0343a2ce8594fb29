package dev.ssexporter.exporter;

import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.core.engine.FlowSample;
import dev.ssexporter.core.engine.RttHistogram;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.core.engine.ScrapeStats;
import dev.ssexporter.core.folding.LabelFolding;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.exporter.internal.BuildInfo;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Fixed scrapes and configs shared by the exporter tests. */
final class Fixtures {
    static final BucketBounds BOUNDS = BucketBounds.of(0.1, 1.0, 10.0, 100.0);
    static final BuildInfo BUILD = new BuildInfo("1.2.3", "25.0.1");

    static final String V4_FLOW = "(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)";
    static final String V6_FLOW = "(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)";

    private Fixtures() {}

    /** Everything on, with the short bounds. */
    static MetricsConfig allMetrics() {
        return new MetricsConfig(true, BOUNDS, true, true, true, true, true);
    }

    static ExporterConfig config(MetricsConfig metrics) {
        return new ExporterConfig(metrics, LabelFolding.RAW_ENDPOINT, SelectionConfig.none());
    }

    /** Two flows, an IPv4 and an IPv6 one, with RTTs of 53.376 and 0.038 ms. */
    static Scrape twoFlows() {
        return new Scrape(
                List.of(new FlowSample(V4_FLOW, 53.376, 10, 1_234_567, 120, 95, 1),
                        new FlowSample(V6_FLOW, 0.038, 20, 987_654, 4, 3, 1)),
                new RttHistogram(BOUNDS, new long[] {1, 1, 1, 2, 2}, 2, 53.414),
                new ScrapeStats(true, null, 0.0125, 57, 2, 2, false, 1, 3, 0, 0));
    }

    /** A dump that failed with ENOBUFS, after one earlier failure and 5 flows dropped by the cap. */
    static Scrape failed() {
        return new Scrape(List.of(), new RttHistogram(BOUNDS, new long[5], 0, 0),
                new ScrapeStats(false, "recvmsg(fd=7, NETLINK_SOCK_DIAG) failed: ENOBUFS (errno 105)", 0.0031,
                        0, 0, 0, false, 2, 3, 0, 0, 5));
    }

    static SocketStatsCollector.Builder collector(MetricsConfig metrics, ScrapeSource source) {
        return SocketStatsCollector.builder().config(config(metrics)).scrapeSource(source).buildInfo(BUILD);
    }

    /** client_java's protobuf (length-delimited MetricFamily messages) of {@code registry}. */
    static byte[] protobuf(PrometheusRegistry registry) {
        return written(new PrometheusProtobufWriter(), registry);
    }

    /** client_java's OpenMetrics text of {@code registry}. */
    static String openMetrics(PrometheusRegistry registry) {
        return new String(written(OpenMetricsTextFormatWriter.create(), registry), StandardCharsets.UTF_8);
    }

    /** The registry's scrape in the Prometheus text format. */
    static String text(PrometheusRegistry registry) {
        return new String(written(PrometheusTextFormatWriter.create(), registry), StandardCharsets.UTF_8);
    }

    private static byte[] written(ExpositionFormatWriter writer, PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape(), EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
