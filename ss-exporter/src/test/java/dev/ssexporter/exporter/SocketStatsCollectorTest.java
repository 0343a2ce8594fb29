package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.BOUNDS;
import static dev.ssexporter.exporter.Fixtures.allMetrics;
import static dev.ssexporter.exporter.Fixtures.collector;
import static dev.ssexporter.exporter.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.engine.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SocketStatsCollectorTest {

    /** The self metrics of {@link Fixtures#twoFlows()}, which every full exposition starts with. */
    private static final String SELF_METRICS_OF_TWO_FLOWS = """
            # HELP ss_exporter_build_info Version of the exporter and of the Java runtime it runs on; the value is always 1.
            # TYPE ss_exporter_build_info gauge
            ss_exporter_build_info{java_version="25.0.1",version="1.2.3"} 1
            # HELP ss_exporter_dump_interruptions_total Kernel socket dumps flagged as interrupted, because the socket table changed while it was read, since the exporter started.
            # TYPE ss_exporter_dump_interruptions_total counter
            ss_exporter_dump_interruptions_total 3.0
            # HELP ss_exporter_flows Flow series the last successful dump exported after label folding; at most logic.limits.maxFlows.
            # TYPE ss_exporter_flows gauge
            ss_exporter_flows 2.0
            # HELP ss_exporter_flows_dropped_total Flow series left out because a scrape had more flows than logic.limits.maxFlows, summed over the scrapes since the exporter started.
            # TYPE ss_exporter_flows_dropped_total counter
            ss_exporter_flows_dropped_total 0.0
            # HELP ss_exporter_netlink_errors_total Kernel socket dumps that failed since the exporter started.
            # TYPE ss_exporter_netlink_errors_total counter
            ss_exporter_netlink_errors_total 1.0
            # HELP ss_exporter_proc_errors_total Processes the /proc walk skipped (vanished or access denied) since the exporter started.
            # TYPE ss_exporter_proc_errors_total counter
            ss_exporter_proc_errors_total 0.0
            # HELP ss_exporter_resolve_failures_total Host name lookups for the peering selection that failed since the exporter started.
            # TYPE ss_exporter_resolve_failures_total counter
            ss_exporter_resolve_failures_total 0.0
            # HELP ss_exporter_scrape_duration_seconds Wall time of the last collection (kernel dump, process attribution, selection and folding), in seconds.
            # TYPE ss_exporter_scrape_duration_seconds gauge
            ss_exporter_scrape_duration_seconds 0.0125
            # HELP ss_exporter_scrape_success Whether the last kernel socket dump succeeded (1) or failed (0).
            # TYPE ss_exporter_scrape_success gauge
            ss_exporter_scrape_success 1.0
            # HELP ss_exporter_sockets_seen TCP sockets the kernel reported in the last successful dump.
            # TYPE ss_exporter_sockets_seen gauge
            ss_exporter_sockets_seen 57.0
            # HELP ss_exporter_sockets_selected TCP sockets that passed the selection in the last successful dump.
            # TYPE ss_exporter_sockets_selected gauge
            ss_exporter_sockets_selected 2.0
            """;

    @Test
    void exportsEveryFamilyOfOneScrape() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = collector(allMetrics(), Fixtures::twoFlows).register(registry)) {
            assertThat(text(registry)).isEqualTo(SELF_METRICS_OF_TWO_FLOWS + """
                    # HELP tcp_cwnd Congestion window of the TCP flow, in segments (tcpi_snd_cwnd); summed over the sockets that share the flow label.
                    # TYPE tcp_cwnd gauge
                    tcp_cwnd{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 10.0
                    tcp_cwnd{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 20.0
                    # HELP tcp_data_segs_in_total Data segments received on the TCP flow (tcpi_data_segs_in); summed over the sockets that share the flow label.
                    # TYPE tcp_data_segs_in_total counter
                    tcp_data_segs_in_total{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 120.0
                    tcp_data_segs_in_total{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 4.0
                    # HELP tcp_data_segs_out_total Data segments sent on the TCP flow (tcpi_data_segs_out); summed over the sockets that share the flow label.
                    # TYPE tcp_data_segs_out_total counter
                    tcp_data_segs_out_total{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 95.0
                    tcp_data_segs_out_total{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 3.0
                    # HELP tcp_delivery_rate Delivery rate of the TCP flow, in bytes per second (tcpi_delivery_rate); summed over the sockets that share the flow label.
                    # TYPE tcp_delivery_rate gauge
                    tcp_delivery_rate{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 1234567.0
                    tcp_delivery_rate{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 987654.0
                    # HELP tcp_rtt Smoothed round-trip time of the TCP flow, in milliseconds (tcpi_rtt); the mean when several sockets share the flow label.
                    # TYPE tcp_rtt gauge
                    tcp_rtt{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 53.376
                    tcp_rtt{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 0.038
                    # HELP tcp_rtt_hist_ms Smoothed round-trip times of the selected sockets at this scrape, in milliseconds; cumulative buckets, one observation per socket.
                    # TYPE tcp_rtt_hist_ms histogram
                    tcp_rtt_hist_ms_bucket{le="0.1"} 1
                    tcp_rtt_hist_ms_bucket{le="1.0"} 1
                    tcp_rtt_hist_ms_bucket{le="10.0"} 1
                    tcp_rtt_hist_ms_bucket{le="100.0"} 2
                    tcp_rtt_hist_ms_bucket{le="+Inf"} 2
                    tcp_rtt_hist_ms_count 2
                    tcp_rtt_hist_ms_sum 53.414
                    """);
        }
    }

    @Test
    void familiesSwitchedOffInTheConfigAreNotExported() throws Exception {
        // Only the RTT gauge and the data-segments-out counter stay on; no histogram.
        MetricsConfig some = new MetricsConfig(false, BOUNDS, true, false, false, false, true);
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = collector(some, Fixtures::twoFlows).register(registry)) {
            assertThat(text(registry)).isEqualTo(SELF_METRICS_OF_TWO_FLOWS + """
                    # HELP tcp_data_segs_out_total Data segments sent on the TCP flow (tcpi_data_segs_out); summed over the sockets that share the flow label.
                    # TYPE tcp_data_segs_out_total counter
                    tcp_data_segs_out_total{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 95.0
                    tcp_data_segs_out_total{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 3.0
                    # HELP tcp_rtt Smoothed round-trip time of the TCP flow, in milliseconds (tcpi_rtt); the mean when several sockets share the flow label.
                    # TYPE tcp_rtt gauge
                    tcp_rtt{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 53.376
                    tcp_rtt{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 0.038
                    """);
        }
    }

    @Test
    void aScrapeWithoutFlowsExportsOnlyTheSelfMetricsAndAnEmptyHistogram() throws Exception {
        Scrape empty = new Scrape(List.of(), new dev.ssexporter.core.engine.RttHistogram(BOUNDS, new long[5], 0, 0),
                new dev.ssexporter.core.engine.ScrapeStats(true, null, 0.002, 9, 0, 0, false, 0, 0, 0, 0));
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = collector(allMetrics(), () -> empty).register(registry)) {
            assertThat(text(registry))
                    .contains("ss_exporter_sockets_seen 9.0\n", "ss_exporter_flows 0.0\n")
                    .contains("tcp_rtt_hist_ms_bucket{le=\"+Inf\"} 0\ntcp_rtt_hist_ms_count 0\n")
                    .doesNotContain("tcp_rtt{", "tcp_cwnd", "tcp_delivery_rate", "tcp_data_segs");
        }
    }

    @Test
    void aFailedDumpSaysSoAndExportsNoFlowSeries() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = collector(allMetrics(), Fixtures::failed).register(registry)) {
            assertThat(text(registry)).isEqualTo("""
                    # HELP ss_exporter_build_info Version of the exporter and of the Java runtime it runs on; the value is always 1.
                    # TYPE ss_exporter_build_info gauge
                    ss_exporter_build_info{java_version="25.0.1",version="1.2.3"} 1
                    # HELP ss_exporter_dump_interruptions_total Kernel socket dumps flagged as interrupted, because the socket table changed while it was read, since the exporter started.
                    # TYPE ss_exporter_dump_interruptions_total counter
                    ss_exporter_dump_interruptions_total 3.0
                    # HELP ss_exporter_flows_dropped_total Flow series left out because a scrape had more flows than logic.limits.maxFlows, summed over the scrapes since the exporter started.
                    # TYPE ss_exporter_flows_dropped_total counter
                    ss_exporter_flows_dropped_total 5.0
                    # HELP ss_exporter_netlink_errors_total Kernel socket dumps that failed since the exporter started.
                    # TYPE ss_exporter_netlink_errors_total counter
                    ss_exporter_netlink_errors_total 2.0
                    # HELP ss_exporter_proc_errors_total Processes the /proc walk skipped (vanished or access denied) since the exporter started.
                    # TYPE ss_exporter_proc_errors_total counter
                    ss_exporter_proc_errors_total 0.0
                    # HELP ss_exporter_resolve_failures_total Host name lookups for the peering selection that failed since the exporter started.
                    # TYPE ss_exporter_resolve_failures_total counter
                    ss_exporter_resolve_failures_total 0.0
                    # HELP ss_exporter_scrape_duration_seconds Wall time of the last collection (kernel dump, process attribution, selection and folding), in seconds.
                    # TYPE ss_exporter_scrape_duration_seconds gauge
                    ss_exporter_scrape_duration_seconds 0.0031
                    # HELP ss_exporter_scrape_success Whether the last kernel socket dump succeeded (1) or failed (0).
                    # TYPE ss_exporter_scrape_success gauge
                    ss_exporter_scrape_success 0.0
                    """);
        }
    }

    @Test
    void aSourceThatThrowsIsReportedAsAFailedScrapeNotAnException() throws Exception {
        AtomicBoolean fail = new AtomicBoolean(false);
        ScrapeSource flaky = () -> {
            if (fail.get()) {
                throw new IllegalStateException("engine bug");
            }
            return Fixtures.twoFlows();
        };
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = collector(allMetrics(), flaky).register(registry)) {
            assertThat(text(registry)).contains("ss_exporter_scrape_success 1.0\n");
            fail.set(true);
            String afterFailure = text(registry);
            assertThat(afterFailure)
                    .contains("ss_exporter_scrape_success 0.0\n")
                    // The engine's running totals are kept from the last scrape it delivered.
                    .contains("ss_exporter_netlink_errors_total 1.0\n", "ss_exporter_dump_interruptions_total 3.0\n")
                    .doesNotContain("tcp_", "ss_exporter_sockets_seen", "# TYPE ss_exporter_flows gauge");
        }
    }

    @Test
    void twoFlowsWithOneLabelAreReportedAsAFailedScrapeNotAnException() throws Exception {
        Scrape duplicate = new Scrape(
                List.of(Fixtures.twoFlows().flows().getFirst(), Fixtures.twoFlows().flows().getFirst()),
                Fixtures.twoFlows().rtt(), Fixtures.twoFlows().stats());
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = collector(allMetrics(), () -> duplicate).register(registry)) {
            assertThat(text(registry)).contains("ss_exporter_scrape_success 0.0\n").doesNotContain("tcp_");
        }
    }

    @Test
    void concurrentScrapesShareOneDump() throws Exception {
        int scrapers = 8;
        AtomicInteger dumps = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ScrapeSource slow = () -> {
            dumps.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Fixtures.twoFlows();
        };
        try (SocketStatsCollector collector = collector(allMetrics(), slow).build()) {
            ConcurrentLinkedQueue<MetricSnapshots> results = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < scrapers; i++) {
                threads.add(Thread.ofPlatform().name("scraper-" + i).start(() -> {
                    entered.incrementAndGet();
                    results.add(collector.collect());
                }));
            }
            // Every scraper is inside collect() and waits for the one slow dump.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (entered.get() < scrapers || collector.waitingScrapes() < scrapers) {
                assertThat(System.nanoTime()).as("scrapers parked in time").isLessThan(deadline);
                Thread.sleep(5);
            }
            release.countDown();
            for (Thread t : threads) {
                t.join(10_000);
            }
            assertThat(dumps).hasValue(1);
            assertThat(results).hasSize(scrapers).allSatisfy(s -> assertThat(names(s)).contains("tcp_rtt"));

            // A scrape after the shared one has finished dumps again: nothing is cached.
            collector.collect();
            assertThat(dumps).hasValue(2);
        }
    }

    @Test
    void registeringTwiceInOneRegistryFailsAndClosesTheSecondCollector() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        ScrapeSource source = new ScrapeSource() {
            @Override
            public Scrape collect() {
                return Fixtures.twoFlows();
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = collector(allMetrics(), source).register(registry)) {
            assertThatThrownBy(() -> collector(allMetrics(), source).register(registry))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("duplicate metric name");
            assertThat(closes).hasValue(1);
        }
        assertThat(closes).hasValue(2);
    }

    @Test
    void closeUnregistersAndClosesTheSource() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        PrometheusRegistry registry = new PrometheusRegistry();
        SocketStatsCollector collector = collector(allMetrics(), new ScrapeSource() {
            @Override
            public Scrape collect() {
                return Fixtures.twoFlows();
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        }).register(registry);
        collector.close();
        collector.close();
        assertThat(closes).hasValue(1);
        assertThat(text(registry)).isEmpty();
        // A closed collector still answers, saying the scrape failed.
        assertThat(names(collector.collect())).contains("ss_exporter_scrape_success").doesNotContain("tcp_rtt");
        // And the registry is free for a new one.
        try (var _ = collector(allMetrics(), Fixtures::twoFlows).register(registry)) {
            assertThat(text(registry)).contains("tcp_rtt{");
        }
    }

    @Test
    void theRegisteredDescriptorsNameExactlyTheExportedFamilies() throws Exception {
        for (MetricsConfig m : List.of(allMetrics(), new MetricsConfig(false, BOUNDS, false, true, false, true, false))) {
            try (SocketStatsCollector collector = collector(m, Fixtures::twoFlows).build()) {
                List<String> described = collector.getMetricFamilyDescriptors().stream()
                        .map(MetricFamilyDescriptor::getPrometheusName)
                        .sorted()
                        .toList();
                assertThat(described).isEqualTo(names(collector.collect()));
            }
        }
    }

    @Test
    void theDefaultConfigExportsEveryFamilyWithTheDefaultBuckets() throws Exception {
        try (SocketStatsCollector collector = SocketStatsCollector.builder()
                .scrapeSource(Fixtures::twoFlows)
                .build()) {
            // 17 per-flow and self families, tcp_sockets and the three listener families
            assertThat(collector.getMetricFamilyDescriptors()).hasSize(21);
        }
    }

    private static List<String> names(MetricSnapshots snapshots) {
        return snapshots.stream().map(MetricSnapshot::getMetadata).map(md -> md.getPrometheusName()).sorted().toList();
    }
}
