package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.allMetrics;
import static dev.ssexporter.exporter.Fixtures.collector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.engine.FlowSample;
import dev.ssexporter.core.engine.Scrape;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExporterServerTest {
    /** The {@code Accept} header of Prometheus 3 with its default scrape protocols. */
    static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
            + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
            + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
    /** The {@code Accept} header of Prometheus 3 scraping native histograms: protobuf first. */
    static final String PROMETHEUS_NATIVE_ACCEPT = "application/vnd.google.protobuf;"
            + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7," + PROMETHEUS_ACCEPT;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private SocketStatsCollector collector;
    private ExporterServer server;

    @BeforeEach
    void start() throws Exception {
        collector = collector(allMetrics(), Fixtures::twoFlows).register(registry);
        server = ExporterServer.builder().listenAddress("127.0.0.1").port(0).registry(registry).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        collector.close();
    }

    @Test
    void metricsAreServedInTheTextFormatByDefault() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body()).isEqualTo(Fixtures.text(registry)).contains("""
                # HELP tcp_rtt Smoothed round-trip time of the TCP flow, in milliseconds (tcpi_rtt); the mean when several sockets share the flow label.
                # TYPE tcp_rtt gauge
                tcp_rtt{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 53.376
                tcp_rtt{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 0.038
                """);
    }

    @Test
    void openMetricsIsServedWhenAsked() throws Exception {
        HttpResponse<String> r = send(request("/metrics")
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/openmetrics-text"));
        assertThat(r.body())
                .contains("""
                        # TYPE tcp_data_segs_in counter
                        # HELP tcp_data_segs_in Data segments received on the TCP flow (tcpi_data_segs_in); summed over the sockets that share the flow label.
                        tcp_data_segs_in_total{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 120.0
                        """)
                .contains("""
                        # TYPE ss_exporter_scrape_duration_seconds gauge
                        # UNIT ss_exporter_scrape_duration_seconds seconds
                        """)
                .endsWith("# EOF\n");
    }

    @Test
    void protobufIsServedWhenAsked() throws Exception {
        HttpResponse<byte[]> r = HTTP.send(request("/metrics").header("Accept",
                "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/vnd.google.protobuf"));
        assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).contains("tcp_rtt_hist_ms");
    }

    @Test
    void metricsAreGzippedWhenTheClientAcceptsIt() throws Exception {
        HttpResponse<InputStream> r = HTTP.send(request("/metrics").header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (InputStream body = new GZIPInputStream(r.body())) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(Fixtures.text(registry));
        }
    }

    @Test
    void theTextFormatIsStreamedInChunks() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(r.headers().firstValue("Content-Length")).isEmpty();
        // Query parameters still go through client_java, which buffers.
        HttpResponse<String> filtered = get("/metrics?name[]=tcp_rtt");
        assertThat(filtered.headers().firstValue("Content-Length")).isPresent();
        assertThat(filtered.body()).startsWith("# HELP tcp_rtt ").doesNotContain("tcp_cwnd", "ss_exporter_");
    }

    @Test
    void headOnMetricsHasTheHeadersAndNoBody() throws Exception {
        HttpResponse<String> r = send(request("/metrics").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body()).isEmpty();
    }

    /**
     * Many flows with labels that need escaping, and other collectors whose families sort before,
     * between and after ours: the streamed body is client_java's text of the same registry, byte
     * for byte, plain and gzipped, in the Prometheus text format, OpenMetrics and protobuf.
     */
    @Test
    void theStreamedBodyEqualsClientJavasTextWithOtherCollectorsInterleaved() throws Exception {
        List<FlowSample> flows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String label = switch (i % 4) {
                case 0 -> "(SRC#10.0.%d.%d|%d)(DST#192.0.2.1|443)".formatted(i / 256, i % 256, 30000 + i);
                case 1 -> "(SRC#2001:db8::%x|%d)(DST#2001:db8:0:1::80|993)".formatted(i, 40000 + i);
                case 2 -> "(PID#%d|we\"ird\\na\nme)(DST#::1|%d)".formatted(i, i);
                default -> "(PID#%d|caf\u00e9)(DST#::1|%d)".formatted(i, i);
            };
            flows.add(new FlowSample(label, i / 1000.0, i, 10_000_000L * i, (long) i << 40, 7L * i, 1));
        }
        Collections.shuffle(flows, new Random(7));
        Scrape many = new Scrape(flows, Fixtures.twoFlows().rtt(), Fixtures.twoFlows().stats());
        PrometheusRegistry mixed = new PrometheusRegistry();
        Gauge.builder().name("aaa_first").help("Sorts first.").register(mixed).set(1);
        Counter.builder().name("tcp_cwnd_other").help("Sorts between two of ours.").labelNames("x").register(mixed)
                .labelValues("y").inc();
        Gauge.builder().name("zzz_last").help("Sorts last.").register(mixed).set(2.5);
        try (var _ = collector(allMetrics(), () -> many).register(mixed);
             ExporterServer s = ExporterServer.builder().listenAddress("127.0.0.1").port(0).registry(mixed).build().start()) {
            URI uri = URI.create("http://127.0.0.1:" + s.port() + "/metrics");
            String expected = Fixtures.text(mixed);
            assertThat(expected).contains("aaa_first 1.0", "tcp_cwnd_other_total{x=\"y\"} 1.0", "zzz_last 2.5",
                    "we\\\"ird\\\\na\\nme");
            assertThat(send(HttpRequest.newBuilder(uri).build()).body()).isEqualTo(expected);
            HttpResponse<InputStream> zipped = HTTP.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
            try (InputStream body = new GZIPInputStream(zipped.body())) {
                assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(expected);
            }

            // What Prometheus asks for by default: OpenMetrics, streamed as well.
            String openMetrics = Fixtures.openMetrics(mixed);
            assertThat(openMetrics).contains("# TYPE tcp_cwnd_other counter", "tcp_cwnd_other_total{x=\"y\"} 1.0")
                    .endsWith("\n# EOF\n");
            HttpRequest asPrometheus = HttpRequest.newBuilder(uri).header("Accept", PROMETHEUS_ACCEPT).build();
            HttpResponse<String> om = send(asPrometheus);
            assertThat(om.headers().firstValue("Content-Type"))
                    .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(om.headers().firstValue("Content-Length")).as("streamed, not buffered").isEmpty();
            assertThat(om.body()).isEqualTo(openMetrics);
            HttpResponse<InputStream> omZipped = HTTP.send(HttpRequest.newBuilder(uri).header("Accept", PROMETHEUS_ACCEPT)
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = new GZIPInputStream(omZipped.body())) {
                assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(openMetrics);
            }

            // What Prometheus asks for when it scrapes native histograms: protobuf, streamed too.
            byte[] protobuf = Fixtures.protobuf(mixed);
            HttpResponse<byte[]> pb = HTTP.send(HttpRequest.newBuilder(uri).header("Accept", PROMETHEUS_NATIVE_ACCEPT)
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(pb.headers().firstValue("Content-Type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("application/vnd.google.protobuf"));
            assertThat(pb.headers().firstValue("Content-Length")).as("streamed, not buffered").isEmpty();
            assertThat(pb.body()).isEqualTo(protobuf);
            HttpResponse<InputStream> pbZipped = HTTP.send(HttpRequest.newBuilder(uri)
                    .header("Accept", PROMETHEUS_NATIVE_ACCEPT).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = new GZIPInputStream(pbZipped.body())) {
                assertThat(body.readAllBytes()).isEqualTo(protobuf);
            }
        }
    }

    /** Concurrent HTTP scrapes, each streaming its own response, share one collection. */
    @Test
    void concurrentRequestsShareOneCollection() throws Exception {
        AtomicInteger dumps = new AtomicInteger();
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
        PrometheusRegistry shared = new PrometheusRegistry();
        int requests = ExporterServer.DEFAULT_MAX_SCRAPES;
        try (SocketStatsCollector c = collector(allMetrics(), slow).register(shared);
             ExporterServer s = ExporterServer.builder().listenAddress("127.0.0.1").port(0).registry(shared).build().start()) {
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics")).build();
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                responses.add(HTTP.sendAsync(get, HttpResponse.BodyHandlers.ofString()));
            }
            // Every request waits for the one slow dump.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (c.waitingScrapes() < requests) {
                assertThat(System.nanoTime()).as("requests waiting in time").isLessThan(deadline);
                Thread.sleep(5);
            }
            release.countDown();
            String expected = Fixtures.text(registryOf(Fixtures::twoFlows));
            for (var r : responses) {
                assertThat(r.get(10, TimeUnit.SECONDS).body()).isEqualTo(expected);
            }
            assertThat(dumps).hasValue(1);
        }
    }

    /** client_java refuses a negative counter; the streamed path reports the same failed scrape. */
    @Test
    void aNegativeCounterIsAFailedScrapeInBothPaths() throws Exception {
        Scrape negative = new Scrape(List.of(new FlowSample(Fixtures.V4_FLOW, 1.0, 1, 1, -1, 1, 1)),
                Fixtures.twoFlows().rtt(), Fixtures.twoFlows().stats());
        PrometheusRegistry r = new PrometheusRegistry();
        try (var _ = collector(allMetrics(), () -> negative).register(r);
             ExporterServer s = ExporterServer.builder().listenAddress("127.0.0.1").port(0).registry(r).build().start()) {
            String body = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics")).build()).body();
            assertThat(body).isEqualTo(Fixtures.text(r)).contains("ss_exporter_scrape_success 0.0\n")
                    .doesNotContain("tcp_");
        }
    }

    private static PrometheusRegistry registryOf(ScrapeSource source) throws IOException {
        PrometheusRegistry r = new PrometheusRegistry();
        collector(allMetrics(), source).register(r);
        return r;
    }

    @Test
    void aFailedDumpIsStillA200() throws Exception {
        PrometheusRegistry failing = new PrometheusRegistry();
        try (var _ = collector(allMetrics(), Fixtures::failed).register(failing);
             ExporterServer s = ExporterServer.builder().listenAddress("127.0.0.1").port(0).registry(failing).build().start()) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics")).build());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("ss_exporter_scrape_success 0.0\n").doesNotContain("tcp_");
        }
    }

    @Test
    void healthAnswersOk() throws Exception {
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.body()).isEqualTo("OK");
    }

    @Test
    void headOnHealthHasNoBody() throws Exception {
        HttpResponse<String> r = send(request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void theLandingPageLinksMetricsAndHealth() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.body()).contains("<a href=\"metrics\">", "<a href=\"health\">");
    }

    @Test
    void unknownPathsAre404WithoutDetails() throws Exception {
        for (String path : new String[] {"/nope", "/metrics/extra", "/metricsx", "/healthz", "/index.html"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).isEqualTo("Not Found\n");
        }
    }

    @Test
    void otherMethodsAre405() throws Exception {
        HttpResponse<String> r = send(request("/metrics").POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void closeStopsListening() throws Exception {
        int port = server.port();
        server.close();
        server.close();
        assertThatThrownBy(() -> send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build()))
                .isInstanceOf(ConnectException.class);
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessage("the server is closed");
    }

    @Test
    void aStartedServerCannotStartAgain() {
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("the server is already started");
    }

    @Test
    void aTakenPortIsReportedWithItsAddress() {
        ExporterServer second = ExporterServer.builder().listenAddress("127.0.0.1").port(server.port()).registry(registry).build();
        assertThatThrownBy(second::start).isInstanceOf(BindException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + server.port() + ": ");
        second.close();
    }

    @Test
    void theBuilderChecksItsInput() {
        assertThatThrownBy(() -> ExporterServer.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("Missing required field: registry is null");
        assertThatThrownBy(() -> ExporterServer.builder().port(65536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port 65536 is outside 0..65535");
        assertThatThrownBy(() -> ExporterServer.builder().port(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExporterServer.builder().port(0).registry(registry).build().port())
                .isInstanceOf(IllegalStateException.class).hasMessage("the server is not started");
        assertThatThrownBy(() -> ExporterServer.builder().listenAddress("no-such-host.invalid").registry(registry).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("listen address \"no-such-host.invalid\" does not resolve");
    }

    @Test
    void anIpv6LiteralInBracketsIsAccepted() throws Exception {
        try (ExporterServer s = ExporterServer.builder().listenAddress("[::1]").port(0).registry(registry).build()) {
            try {
                s.start();
            } catch (IOException e) {
                // No IPv6 loopback on this machine: nothing to check.
                return;
            }
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://[::1]:" + s.port() + "/health")).build());
            assertThat(r.body()).isEqualTo("OK");
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
