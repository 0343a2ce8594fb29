package dev.ssexporter.cli.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Debian's prometheus, on a free port of 127.0.0.1, scraping one exporter; stopped by {@link #close()}. */
final class PrometheusServer implements AutoCloseable {
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.e+-]+,\"([^\"]+)\"\\]");

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts {@code binary} scraping {@code 127.0.0.1:exporterPort} every {@code intervalSeconds},
     * with {@code flags} added to its command line (e.g. {@code --enable-feature=native-histograms}),
     * and waits until it is ready.
     */
    static PrometheusServer start(Path binary, Path dir, int exporterPort, long intervalSeconds, List<String> flags)
            throws IOException {
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: %1$ds
                  scrape_timeout: %1$ds
                  evaluation_interval: %1$ds
                scrape_configs:
                  - job_name: ss
                    scrape_interval: %1$ds
                    scrape_timeout: %1$ds
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["127.0.0.1:%2$d"]
                """.formatted(intervalSeconds, exporterPort));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        Path data = Files.createDirectories(dir.resolve("tsdb"));
        Path log = dir.resolve("prometheus.log");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port));
        command.addAll(flags);
        Process p = E2e.start(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())));
        PrometheusServer prometheus = new PrometheusServer(p, log, port);
        try {
            E2e.poll("prometheus to answer GET /-/ready with 200", E2e.START_TIMEOUT, Duration.ofMillis(200), () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("prometheus exited with " + p.exitValue() + ":\n" + prometheus.log());
                }
                return prometheus.http.send(HttpRequest.newBuilder(prometheus.uri("/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
            }, status -> status == 200);
            return prometheus;
        } catch (RuntimeException | Error e) {
            prometheus.close();
            throw new AssertionError(e.getMessage() + "\nprometheus log:\n" + prometheus.log(), e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The values of an instant query's vector result, as strings. */
    List<String> query(String promql) throws IOException, InterruptedException {
        URI uri = uri("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("\"status\":\"success\"")) {
            throw new IOException(promql + " answered " + r.statusCode() + ": " + r.body());
        }
        List<String> values = new ArrayList<>();
        Matcher m = VALUE.matcher(r.body());
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    String log() {
        try {
            return E2e.abbreviate(Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        E2e.stop(process);
    }
}
