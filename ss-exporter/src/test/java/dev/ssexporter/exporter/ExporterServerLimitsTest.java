package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.allMetrics;
import static dev.ssexporter.exporter.Fixtures.collector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server under hostile or unlucky load: stalled clients, too many scrapes, huge headers, a
 * failing collector, a collection slower than Prometheus' timeout. Each test checks the answer
 * and that the server still serves afterwards.
 */
class ExporterServerLimitsTest {
    private static final System.Logger LOG = System.getLogger(ExporterServerLimitsTest.class.getName());
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger dumps = new AtomicInteger();
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        release.countDown();
        for (AutoCloseable c : closeLater.reversed()) {
            c.close();
        }
    }

    /** A collection that blocks until {@link #release} opens. */
    private final ScrapeSource slow = () -> {
        dumps.incrementAndGet();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Fixtures.twoFlows();
    };

    private ExporterServer serve(ScrapeSource source, ExporterServer.Builder builder) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        closeLater.add(collector(allMetrics(), source).register(registry));
        ExporterServer server = builder.listenAddress("127.0.0.1").port(0).registry(registry).build().start();
        closeLater.add(server);
        return server;
    }

    @Test
    void stalledClientsNeitherBlockAScrapeNorStayConnected() throws Exception {
        ExporterServer server = serve(Fixtures::twoFlows,
                ExporterServer.builder().requestReadTimeout(Duration.ofSeconds(1)));
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            closeLater.add(s);
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: te".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            stalled.add(s);
        }
        await(() -> server.activeRequests() >= 10, "10 half-sent requests being read");

        long start = System.nanoTime();
        HttpResponse<String> scrape = get(server, "/metrics");
        long scrapeMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("tcp_rtt{");
        assertThat(scrapeMillis).as("a scrape beside 10 stalled clients").isLessThan(1000);

        for (Socket s : stalled) {
            s.setSoTimeout(5000);
            long waited = System.nanoTime();
            assertThat(readToEnd(s.getInputStream())).as("a stalled client gets no answer").isEmpty();
            LOG.log(System.Logger.Level.INFO, "stalled client closed after {0} ms more",
                    (System.nanoTime() - waited) / 1_000_000);
        }
        await(() -> server.activeRequests() == 0, "the stalled requests gone");
        LOG.log(System.Logger.Level.INFO, "scrape beside 10 stalled clients took {0} ms", scrapeMillis);
        assertThat(get(server, "/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void pastMaxRequestsAConnectionIsClosedAtOnceAndServingResumes() throws Exception {
        ExporterServer server = serve(Fixtures::twoFlows,
                ExporterServer.builder().maxRequests(2).requestReadTimeout(Duration.ofSeconds(1)));
        for (int i = 0; i < 2; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            closeLater.add(s);
            s.getOutputStream().write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        await(() -> server.activeRequests() == 2, "2 half-sent requests being read");
        try (Socket third = new Socket("127.0.0.1", server.port())) {
            third.setSoTimeout(5000);
            long start = System.nanoTime();
            OutputStream out = third.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(third.getInputStream())).isEmpty();
            assertThat((System.nanoTime() - start) / 1_000_000).as("refused without waiting").isLessThan(900);
        }
        await(() -> server.activeRequests() == 0, "the stalled requests cut off");
        assertThat(get(server, "/health").body()).isEqualTo("OK");
    }

    @Test
    void aScrapeBeyondTheLimitGetsAFast503WhileHealthAnswers() throws Exception {
        ExporterServer server = serve(slow, ExporterServer.builder().maxScrapesInFlight(2));
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiting.add(HTTP.sendAsync(request(server, "/metrics").build(), HttpResponse.BodyHandlers.ofString()));
        }
        await(() -> server.scrapesInFlight() == 2, "2 scrapes in flight");

        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> refused = get(server, "/metrics");
            long refusedMicros = (System.nanoTime() - start) / 1000;
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body()).isEqualTo("too many scrapes in flight (limit 2); retry later\n");
            // The collection is blocked until released: an answer at all shows the 503 did not wait.
            assertThat(refusedMicros).as("the 503 does not wait").isLessThan(2_000_000);
            LOG.log(System.Logger.Level.INFO, "503 with 2 scrapes in flight took {0} us", refusedMicros);
        }
        assertThat(get(server, "/health").body()).isEqualTo("OK");
        assertThat(waiting).noneMatch(CompletableFuture::isDone);

        release.countDown();
        for (var r : waiting) {
            assertThat(r.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(get(server, "/metrics").statusCode()).isEqualTo(200);
        assertThat(dumps.get()).isEqualTo(2);
    }

    @Test
    void oversizedHeadersGet431() throws Exception {
        ExporterServer server = serve(Fixtures::twoFlows, ExporterServer.builder());
        HttpResponse<String> r = send(request(server, "/metrics").header("X-Big", "a".repeat(20_000)).build());
        assertThat(r.statusCode()).isEqualTo(431);
        assertThat(r.body()).isEqualTo("request header fields too large (limit 16384 bytes)\n");
        HttpResponse<String> many = send(request(server, "/health").headers(manyHeaders(150)).build());
        assertThat(many.statusCode()).isEqualTo(431);
        assertThat(get(server, "/metrics").statusCode()).isEqualTo(200);
    }

    private static String[] manyHeaders(int n) {
        String[] pairs = new String[2 * n];
        for (int i = 0; i < n; i++) {
            pairs[2 * i] = "X-H" + i;
            pairs[2 * i + 1] = "value-" + "v".repeat(150);
        }
        return pairs;
    }

    @Test
    void aFailingCollectorIsA500WithoutAStackTraceInEveryFormat() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new MultiCollector() {
            @Override
            public MetricSnapshots collect() {
                throw new IllegalStateException("secret detail of a broken collector");
            }
        });
        ExporterServer server = ExporterServer.builder().listenAddress("127.0.0.1").port(0).registry(registry).build()
                .start();
        closeLater.add(server);
        List<HttpRequest> requests = List.of(
                request(server, "/metrics").build(),
                request(server, "/metrics").header("Accept-Encoding", "gzip").build(),
                request(server, "/metrics").header("Accept", "application/openmetrics-text; version=1.0.0").build(),
                request(server, "/metrics?debug=text").build(),
                request(server, "/metrics?name[]=x").build());
        for (HttpRequest req : requests) {
            HttpResponse<String> r = send(req);
            assertThat(r.statusCode()).as(req.uri() + " " + req.headers().map()).isEqualTo(500);
            assertThat(r.body()).as(req.uri() + " " + req.headers().map()).isEqualTo("Internal Server Error\n");
        }
        assertThat(get(server, "/health").body()).isEqualTo("OK");
    }

    @Test
    void aCollectionSlowerThanTheScrapeTimeoutIsA503AndGoesOnForOthers() throws Exception {
        ExporterServer server = serve(slow, ExporterServer.builder());
        CompletableFuture<HttpResponse<String>> patient =
                HTTP.sendAsync(request(server, "/metrics").build(), HttpResponse.BodyHandlers.ofString());
        await(() -> dumps.get() == 1, "the collection started");

        long start = System.nanoTime();
        HttpResponse<String> hurried = send(request(server, "/metrics")
                .header("X-Prometheus-Scrape-Timeout-Seconds", "1.5").build());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(hurried.statusCode()).isEqualTo(503);
        assertThat(hurried.body())
                .isEqualTo("scrape timed out: the collection did not finish within the scrape timeout of 1.5 s\n");
        assertThat(millis).as("answered before Prometheus gives up").isBetween(900L, 1400L);
        // The same through client_java's buffered path.
        HttpResponse<String> openMetrics = send(request(server, "/metrics")
                .header("Accept", "application/openmetrics-text; version=1.0.0")
                .header("X-Prometheus-Scrape-Timeout-Seconds", "1").build());
        assertThat(openMetrics.statusCode()).isEqualTo(503);
        assertThat(patient).isNotDone();

        release.countDown();
        assertThat(patient.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(dumps.get()).as("the timed-out scrapes shared the running collection").isEqualTo(1);
        LOG.log(System.Logger.Level.INFO, "503 for a 1.5 s scrape timeout after {0} ms", millis);
    }

    @Test
    void badScrapeTimeoutHeadersAreIgnored() throws Exception {
        ExporterServer server = serve(Fixtures::twoFlows, ExporterServer.builder());
        for (String value : new String[] {"abc", "-1", "0", "NaN", "Infinity", "1e300", ""}) {
            HttpResponse<String> r = send(request(server, "/metrics")
                    .header("X-Prometheus-Scrape-Timeout-Seconds", value).build());
            assertThat(r.statusCode()).as(value).isEqualTo(200);
            assertThat(r.body()).as(value).contains("tcp_rtt{");
        }
    }

    @Test
    void aResponseOverItsTimeLimitIsCutAndTheServerGoesOn() throws Exception {
        ExporterServer server = serve(slow, ExporterServer.builder().responseTimeout(Duration.ofSeconds(1)));
        long start = System.nanoTime();
        assertThatThrownBy(() -> get(server, "/metrics")).isInstanceOf(IOException.class);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 3000L);
        release.countDown();
        assertThat(get(server, "/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void theLimitsAreChecked() {
        assertThatThrownBy(() -> ExporterServer.builder().maxScrapesInFlight(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxScrapesInFlight must be at least 1, got 0");
        assertThatThrownBy(() -> ExporterServer.builder().requestReadTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("requestReadTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> ExporterServer.builder().route("/metrics", List.of("GET"), e -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String readToEnd(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (SocketException reset) {
            return "";
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static HttpRequest.Builder request(ExporterServer server, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> get(ExporterServer server, String path) throws IOException, InterruptedException {
        return send(request(server, path).build());
    }

    private static HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }
}
