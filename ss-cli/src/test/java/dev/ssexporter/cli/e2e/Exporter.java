package dev.ssexporter.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real exporter, started from the shaded jar as a separate process:
 * {@code java --enable-native-access=ALL-UNNAMED -jar ss-exporter.jar --port=0 --listen-address 127.0.0.1 ...}.
 *
 * <p>{@link #start} returns once the process has logged the port it picked and {@code /health}
 * answers {@code OK}. Its stdout and stderr go to files in the given directory, quoted in failure
 * messages. {@link #close()} sends SIGTERM (SIGKILL after 5 s).
 */
final class Exporter implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/metrics");
    /** A scrape on a host with 100 000 sockets takes seconds on 2 CPUs; allow for it. */
    static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final int port;
    private final HttpClient http;

    private Exporter(Process process, Path stdout, Path stderr, int port, HttpClient http) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.port = port;
        this.http = http;
    }

    /** Serves with the built-in defaults (no {@code --config}). */
    static Exporter start(Path dir) throws IOException {
        return start(dir, null);
    }

    /** Serves with {@code config} ({@code null} for none) on a free port of 127.0.0.1. */
    static Exporter start(Path dir, Path config) throws IOException {
        return start(dir, config, List.of(), E2e.jar());
    }

    /**
     * Serves {@code jar} with {@code config} ({@code null} for none) on a free port of 127.0.0.1,
     * the java command run through {@code wrapper} (e.g. {@code setpriv --reuid=nobody ...}), which
     * must exec it so that the process's pid stays the JVM's.
     */
    static Exporter start(Path dir, Path config, List<String> wrapper, Path jar) throws IOException {
        List<String> args = new ArrayList<>(List.of("--port=0", "--listen-address", "127.0.0.1"));
        if (config != null) {
            args.add("--config=" + config);
        }
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(command(args, jar));
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "exporter-", ".stdout");
        Path err = Files.createTempFile(dir, "exporter-", ".stderr");
        Process p = E2e.start(new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())));
        try {
            int port = E2e.poll("the exporter to log 'listening on http://127.0.0.1:PORT/metrics'", E2e.START_TIMEOUT,
                    Duration.ofMillis(50), () -> listeningPort(p, err), found -> found > 0);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Exporter e = new Exporter(p, out, err, port, http);
            E2e.poll("GET /health to answer 200 OK", E2e.START_TIMEOUT, Duration.ofMillis(50), e::health,
                    r -> r.statusCode() == 200 && r.body().equals("OK"));
            return e;
        } catch (RuntimeException | Error e) {
            E2e.stop(p);
            throw e;
        }
    }

    /** {@code java --enable-native-access=ALL-UNNAMED -jar JAR args...} with the test's JDK. */
    static List<String> command(List<String> args) {
        return command(args, E2e.jar());
    }

    private static List<String> command(List<String> args, Path jar) {
        List<String> cmd = new ArrayList<>(List.of(E2e.javaBinary().toString(), "--enable-native-access=ALL-UNNAMED",
                "-jar", jar.toString()));
        cmd.addAll(args);
        return cmd;
    }

    private static int listeningPort(Process p, Path err) throws IOException {
        String log = Files.readString(err, StandardCharsets.UTF_8);
        Matcher m = LISTENING.matcher(log);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        if (!p.isAlive()) {
            throw new AssertionError("the exporter exited with " + p.exitValue() + " before listening; stderr:\n"
                    + E2e.abbreviate(log));
        }
        return -1;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** The exporter's process, for tests that signal it and watch it exit. */
    Process process() {
        return process;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> health() throws IOException, InterruptedException {
        return get("/health");
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(SCRAPE_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** {@code POST path} with an empty body. */
    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(SCRAPE_TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Sends the exporter SIGHUP with {@code kill -HUP PID}; fails unless kill succeeds. */
    void hangUp() throws IOException {
        E2e.Result kill = E2e.run(List.of("kill", "-HUP", Long.toString(pid())), null, E2e.COMMAND_TIMEOUT);
        if (kill.exitCode() != 0) {
            throw new AssertionError(kill.toString());
        }
    }

    /** {@code /metrics} as text, every line. Fails unless the answer is 200 in the text format. */
    String metricsText() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics");
        checkMetricsResponse(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""));
        return r.body();
    }

    /** Scrapes {@code /metrics}, storing only the per-flow samples whose label {@code keepFlow} accepts. */
    Exposition scrape(Predicate<String> keepFlow) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(uri("/metrics")).timeout(SCRAPE_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = r.body()) {
            checkMetricsResponse(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""));
            return Exposition.parse(lines, keepFlow);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Scrapes {@code /metrics}, keeping every sample. */
    Exposition scrape() throws IOException, InterruptedException {
        return scrape(flow -> true);
    }

    private void checkMetricsResponse(int status, String contentType) {
        if (status != 200) {
            throw new AssertionError("GET /metrics answered " + status + "; exporter stderr:\n" + stderr());
        }
        if (!contentType.startsWith("text/plain")) {
            throw new AssertionError("GET /metrics answered Content-Type " + contentType + ", not text/plain");
        }
    }

    /** What the exporter has written to stderr so far (its log). */
    String stderr() {
        try {
            return E2e.abbreviate(Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "(cannot read " + stderr + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        E2e.stop(process);
        try {
            Files.deleteIfExists(stdout);
        } catch (IOException ignored) {
            // A temp dir cleans it up.
        }
    }
}
