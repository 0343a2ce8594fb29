package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.BOUNDS;
import static dev.ssexporter.exporter.Fixtures.BUILD;
import static dev.ssexporter.exporter.Fixtures.allMetrics;
import static dev.ssexporter.exporter.Fixtures.config;
import static dev.ssexporter.exporter.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.engine.RunningTotals;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.exporter.internal.Family;
import dev.ssexporter.exporter.internal.FlowStreamRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link SocketStatsCollector#reload}: the swap, what keeps serving, and when the old source closes. */
class SocketStatsCollectorReloadTest {
    /** Gauges off, histogram and counters on. */
    private static final MetricsConfig NO_GAUGES = new MetricsConfig(true, BOUNDS, false, false, false, true, true);

    /** Opens one recording source per config, all returning {@link Fixtures#twoFlows()}. */
    private static final class Sources implements ScrapeSource.Factory {
        final List<ExporterConfig> opened = new ArrayList<>();
        final Map<ExporterConfig, AtomicInteger> closes = new ConcurrentHashMap<>();
        final List<RunningTotals> totals = new ArrayList<>();
        volatile IOException failure;
        volatile CountDownLatch entered;
        volatile CountDownLatch release;

        @Override
        public synchronized ScrapeSource open(ExporterConfig config, RunningTotals t) throws IOException {
            if (failure != null) {
                throw failure;
            }
            opened.add(config);
            totals.add(t);
            AtomicInteger closed = closes.computeIfAbsent(config, c -> new AtomicInteger());
            return new ScrapeSource() {
                @Override
                public Scrape collect() {
                    CountDownLatch in = entered;
                    CountDownLatch out = release;
                    if (in != null && out != null) {
                        in.countDown();
                        try {
                            out.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return Fixtures.twoFlows();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    private static SocketStatsCollector.Builder collector(Sources sources) {
        return SocketStatsCollector.builder().config(config(allMetrics())).scrapeSources(sources).buildInfo(BUILD);
    }

    private static List<String> names(MetricSnapshots snapshots) {
        return snapshots.stream().map(MetricSnapshot::getMetadata).map(m -> m.getPrometheusName()).sorted().toList();
    }

    @Test
    void aGoodReloadChangesTheFamiliesAndClosesTheOldSource() throws Exception {
        Sources sources = new Sources();
        PrometheusRegistry registry = new PrometheusRegistry();
        try (SocketStatsCollector collector = collector(sources).register(registry)) {
            assertThat(text(registry)).contains("tcp_rtt{", "tcp_cwnd{", "tcp_data_segs_in_total{");

            assertThat(collector.reload(config(NO_GAUGES))).isTrue();

            assertThat(collector.config()).isEqualTo(config(NO_GAUGES));
            assertThat(text(registry)).doesNotContain("tcp_rtt{", "tcp_cwnd{", "tcp_delivery_rate{")
                    .contains("tcp_data_segs_in_total{", "tcp_rtt_hist_ms_count 2\n");
            assertThat(collector.getMetricFamilyDescriptors()).extracting(MetricFamilyDescriptor::getPrometheusName)
                    .doesNotContain("tcp_rtt", "tcp_cwnd").contains("tcp_data_segs_in");
            assertThat(sources.closes.get(config(allMetrics()))).as("old source closed").hasValue(1);
            assertThat(sources.closes.get(config(NO_GAUGES))).as("new source open").hasValue(0);
            assertThat(sources.totals).as("one RunningTotals for every source").hasSize(2)
                    .allSatisfy(t -> assertThat(t).isSameAs(sources.totals.getFirst()));
        }
        assertThat(sources.closes.get(config(NO_GAUGES))).as("closed with the collector").hasValue(1);
    }

    @Test
    void anIdenticalConfigIsASuccessThatChangesNothing() throws Exception {
        Sources sources = new Sources();
        try (SocketStatsCollector collector = collector(sources).build()) {
            assertThat(collector.reload(config(allMetrics()))).isFalse();
            assertThat(sources.opened).hasSize(1);
            assertThat(sources.closes.get(config(allMetrics()))).hasValue(0);
            assertThat(names(collector.collect())).contains("tcp_rtt");
        }
    }

    @Test
    void aSourceThatCannotOpenLeavesTheOldConfigServing() throws Exception {
        Sources sources = new Sources();
        PrometheusRegistry registry = new PrometheusRegistry();
        try (SocketStatsCollector collector = collector(sources).register(registry)) {
            sources.failure = new IOException("socket(AF_NETLINK) failed: EMFILE (errno 24)");
            assertThatThrownBy(() -> collector.reload(config(NO_GAUGES))).isInstanceOf(IOException.class)
                    .hasMessageContaining("EMFILE");
            assertThat(collector.config()).isEqualTo(config(allMetrics()));
            assertThat(text(registry)).contains("tcp_rtt{", "ss_exporter_scrape_success 1.0\n");
            assertThat(sources.closes.get(config(allMetrics()))).hasValue(0);
        }
    }

    @Test
    void aCollectionInProgressFinishesWithItsOwnConfigAndSourceThenTheSourceCloses() throws Exception {
        Sources sources = new Sources();
        try (SocketStatsCollector collector = collector(sources).build()) {
            sources.entered = new CountDownLatch(1);
            sources.release = new CountDownLatch(1);
            AtomicReference<FlowStreamRequest> streamed = new AtomicReference<>(new FlowStreamRequest("/metrics"));
            AtomicReference<MetricSnapshots> result = new AtomicReference<>();
            Thread scraper = Thread.ofPlatform().start(() -> result.set(collector.collect(null, streamed.get())));
            assertThat(sources.entered.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(collector.reload(config(NO_GAUGES))).isTrue();
            assertThat(sources.closes.get(config(allMetrics()))).as("still in use by the scrape").hasValue(0);
            assertThat(collector.getMetricFamilyDescriptors()).extracting(MetricFamilyDescriptor::getPrometheusName)
                    .doesNotContain("tcp_rtt");

            sources.release.countDown();
            scraper.join(10_000);
            assertThat(sources.closes.get(config(allMetrics()))).as("closed after the scrape").hasValue(1);
            // The streamed families are those of the config the scrape was collected with.
            assertThat(streamed.get().attached()).singleElement().satisfies(f -> assertThat(f.families())
                    .containsExactly(Family.TCP_RTT, Family.TCP_CWND, Family.TCP_DELIVERY_RATE,
                            Family.TCP_DATA_SEGS_IN, Family.TCP_DATA_SEGS_OUT));
            assertThat(names(result.get())).contains("tcp_rtt_hist_ms");

            sources.entered = null;
            FlowStreamRequest next = new FlowStreamRequest("/metrics");
            collector.collect(null, next);
            assertThat(next.attached()).singleElement().satisfies(f -> assertThat(f.families())
                    .containsExactly(Family.TCP_DATA_SEGS_IN, Family.TCP_DATA_SEGS_OUT));
        }
    }

    @Test
    void aClosedCollectorRefusesToReload() throws Exception {
        Sources sources = new Sources();
        SocketStatsCollector collector = collector(sources).build();
        collector.close();
        assertThatThrownBy(() -> collector.reload(config(NO_GAUGES))).isInstanceOf(IllegalStateException.class)
                .hasMessage("the collector is closed");
        assertThat(sources.opened).hasSize(1);
    }
}
