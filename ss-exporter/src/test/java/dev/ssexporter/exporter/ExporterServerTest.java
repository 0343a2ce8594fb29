package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.allMetrics;
import static dev.ssexporter.exporter.Fixtures.collector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExporterServerTest {
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
