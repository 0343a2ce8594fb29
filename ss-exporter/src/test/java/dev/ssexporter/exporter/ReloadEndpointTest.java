package dev.ssexporter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code /-/reload} on {@link ExporterServer}: POST only, the action's answer, one at a time. */
class ReloadEndpointTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ExporterServer server(ReloadAction action) throws Exception {
        ExporterServer.Builder b = ExporterServer.builder().listenAddress("127.0.0.1").port(0)
                .registry(new PrometheusRegistry());
        if (action != null) {
            b.reloadAction(action);
        }
        return b.build().start();
    }

    private static HttpResponse<String> send(ExporterServer server, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void postRunsTheActionAndOtherMethodsAre405() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (ExporterServer server = server(() -> {
            runs.incrementAndGet();
            return ReloadAction.Result.success("reloaded /etc/ss-exporter/config.yml");
        })) {
            HttpResponse<String> ok = send(server, "POST", "/-/reload");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("reloaded /etc/ss-exporter/config.yml\n");
            for (String method : List.of("GET", "PUT", "DELETE")) {
                HttpResponse<String> r = send(server, method, "/-/reload");
                assertThat(r.statusCode()).as(method).isEqualTo(405);
                assertThat(r.headers().firstValue("Allow")).as(method).hasValue("POST");
            }
            assertThat(send(server, "HEAD", "/-/reload").statusCode()).isEqualTo(405);
            assertThat(send(server, "POST", "/-/reload/more").statusCode()).isEqualTo(404);
            assertThat(runs).as("only the POSTs ran it").hasValue(1);
        }
    }

    @Test
    void aFailedReloadIs500WithItsReasonsOnePerLine() throws Exception {
        try (ExporterServer server = server(() -> ReloadAction.Result.failure(List.of(
                "config.yml:3:5: logic.selection.exclude: unknown key; expected one of: states, process, peering",
                "config.yml:9:14: logic.selection.portRanges[0].lower: port 70000 is outside 0..65535")))) {
            HttpResponse<String> r = send(server, "POST", "/-/reload");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(r.body()).isEqualTo("""
                    reload failed; the previous configuration is still being served:
                    config.yml:3:5: logic.selection.exclude: unknown key; expected one of: states, process, peering
                    config.yml:9:14: logic.selection.portRanges[0].lower: port 70000 is outside 0..65535
                    """);
        }
    }

    @Test
    void aSecondPostWhileOneRunsIs409() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (ExporterServer server = server(() -> {
            runs.incrementAndGet();
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ReloadAction.Result.success("reloaded");
        })) {
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return send(server, "POST", "/-/reload");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> second = send(server, "POST", "/-/reload");
            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(second.body()).isEqualTo("a reload is already running; try again when it is done\n");
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(runs).hasValue(1);
            assertThat(send(server, "POST", "/-/reload").statusCode()).as("free again").isEqualTo(200);
        }
    }

    @Test
    void withoutAnActionThePathIs404() throws Exception {
        try (ExporterServer server = server(null)) {
            assertThat(send(server, "POST", "/-/reload").statusCode()).isEqualTo(404);
            assertThat(send(server, "GET", "/-/reload").statusCode()).isEqualTo(404);
        }
    }
}
