package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** {@code serve} in-process against the real kernel: start, scrape, stop; and a port in use. */
class ServeLiveTest {

    @Test
    void servesMetricsLogsWhereAndStopsCleanly() throws Exception {
        LogCapture capture = LogCapture.of(ServeCommand.class);
        List<LogRecord> logged = capture.records();
        ServeCommand serve = new ServeCommand();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Cli.Result> result = thread.submit(
                    () -> Cli.run(serve, null, "--port", "0", "--listen-address", "127.0.0.1"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (serve.boundPort() < 0 && !result.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(result.isDone()).as("serve ended early: %s", result.isDone() ? result.get() : "").isFalse();
            int port = serve.boundPort();
            assertThat(port).isPositive();

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("ss_exporter_scrape_success 1.0", "# TYPE tcp_rtt gauge");

            assertThat(logged).anySatisfy(r -> {
                assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.INFO);
                assertThat(new Logging.OneLine().formatMessage(r))
                        .isEqualTo("listening on http://127.0.0.1:" + port + "/metrics");
            });

            serve.stop();
            Cli.Result r = result.get(30, TimeUnit.SECONDS);
            assertThat(r.exitCode()).isZero();
            assertThat(r.err()).isEmpty();
            // The port is free again.
            try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        } finally {
            serve.stop();
            thread.shutdownNow();
            capture.close();
        }
    }

    @Test
    void aPortInUseIsOneLineAndExit1() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket taken = new ServerSocket(0, 1, loopback)) {
            int port = taken.getLocalPort();
            Cli.Result r = Cli.run("--listen-address", "127.0.0.1", "--port", Integer.toString(port));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("ss-exporter: not starting: cannot listen on 127.0.0.1:" + port + ": ")
                    .contains("in use").hasLineCount(1);
        }
    }

    @Test
    void anUnresolvableListenAddressIsOneLineAndExit1() {
        Cli.Result r = Cli.run("--listen-address", "no-such-host.invalid", "--port", "0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo(
                "ss-exporter: not starting: listen address \"no-such-host.invalid\" does not resolve\n");
    }
}
