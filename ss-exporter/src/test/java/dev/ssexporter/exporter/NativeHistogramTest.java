package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.BOUNDS;
import static dev.ssexporter.exporter.Fixtures.collector;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.engine.RttHistogram;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.core.engine.ScrapeStats;
import dev.ssexporter.core.histogram.NativeHistogramAccumulator;
import dev.ssexporter.core.histogram.RttHistogramAccumulator;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code tcp_rtt_hist_ms} carries native buckets in the protobuf format; the text stays classic. */
class NativeHistogramTest {
    private static final double[] RTTS = {0.005, 100.0, 0.0, 1.0, 0.005, 1.05};

    private static Scrape scrape() {
        RttHistogramAccumulator classic = RttHistogramAccumulator.of(BOUNDS);
        NativeHistogramAccumulator nativeAcc = NativeHistogramAccumulator.create();
        for (double rtt : RTTS) {
            classic.observe(rtt);
            nativeAcc.observe(rtt);
        }
        RttHistogram rtt = classic.toHistogram().withNative(nativeAcc.toBuckets());
        return new Scrape(List.of(), rtt, new ScrapeStats(true, null, 0.01, 6, 6, 0, false, 0, 0, 0, 0));
    }

    private static MetricsConfig metrics(boolean nativeOn) {
        return new MetricsConfig(true, BOUNDS, true, true, true, true, true, Set.of(), nativeOn);
    }

    private static String protobufDebug(boolean nativeOn) throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = collector(metrics(nativeOn), NativeHistogramTest::scrape).register(registry)) {
            return new PrometheusProtobufWriter().toDebugString(registry.scrape(), EscapingScheme.DEFAULT);
        }
    }

    @Test
    void protobufCarriesClassicAndNativeBuckets() throws Exception {
        String debug = protobufDebug(true);
        String histogram = debug.substring(debug.indexOf("name: \"tcp_rtt_hist_ms\""));
        assertThat(histogram).contains("sample_count: 6", "schema: 3", "zero_threshold: 0.0", "zero_count: 1",
                "upper_bound: 0.1", "cumulative_count: 3");
        // Buckets -61 (x2), 0, 1 and 54 as spans and deltas of the counts.
        assertThat(histogram).containsSubsequence("positive_span", "offset: -61", "length: 1",
                "positive_span", "offset: 60", "length: 2", "positive_span", "offset: 52", "length: 1");
        assertThat(histogram).containsSubsequence("positive_delta: 2", "positive_delta: -1", "positive_delta: 0",
                "positive_delta: 0");
    }

    @Test
    void switchedOffTheProtobufHasClassicBucketsOnly() throws Exception {
        String debug = protobufDebug(false);
        String histogram = debug.substring(debug.indexOf("name: \"tcp_rtt_hist_ms\""));
        assertThat(histogram).contains("sample_count: 6", "upper_bound: 0.1").doesNotContain("schema:", "positive_span");
    }

    @Test
    void theTextFormatIsTheSameWithOrWithoutNativeBuckets() throws Exception {
        String[] texts = new String[2];
        for (int i = 0; i < 2; i++) {
            PrometheusRegistry registry = new PrometheusRegistry();
            try (var _ = collector(metrics(i == 0), NativeHistogramTest::scrape).register(registry)) {
                texts[i] = Fixtures.text(registry);
            }
        }
        assertThat(texts[0]).isEqualTo(texts[1]).contains("tcp_rtt_hist_ms_bucket{le=\"0.1\"} 3\n",
                "tcp_rtt_hist_ms_count 6\n");
    }
}
