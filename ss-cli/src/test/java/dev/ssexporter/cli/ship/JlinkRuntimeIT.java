package dev.ssexporter.cli.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image's Java runtime, built here the way the Dockerfile builds it: the shaded jar
 * that {@code package} just made, linked by {@code deploy/jlink.sh} from the modules in
 * {@code deploy/jlink-modules.txt}, and run with the Dockerfile's own ENTRYPOINT and CMD (only
 * the paths, the port and the config file swapped for local ones). No Docker engine is needed.
 *
 * <p>It checks that the runtime holds exactly the listed modules, that the entrypoint's JVM
 * options work on it (its CDS archive included), that {@code --version}, {@code dump} and
 * serving work and see a real loopback connection, that every exposition format is served, and
 * that the compose file's healthcheck command succeeds against it.
 */
class JlinkRuntimeIT {
    private static final Duration LINK_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/metrics");

    private static Path dir;
    private static Path runtime;
    private static Path jar;
    private static ServerSocket server;
    private static Socket client;
    private static Socket accepted;

    @BeforeAll
    static void linkRuntimeAndOpenAConnection() throws Exception {
        String jarProperty = System.getProperty("ssexporter.jar");
        assertThat(jarProperty).as("system property ssexporter.jar (set by failsafe in ss-cli)").isNotBlank();
        jar = Path.of(jarProperty);
        assertThat(jar).as("the shaded jar, built in ss-cli's package phase").isRegularFile();
        dir = Files.createTempDirectory("jlink-it-");
        runtime = dir.resolve("runtime");
        Path jdk = Path.of(System.getProperty("java.home"));
        Path bash = Ship.requireTool("bash", "bash");
        List<String> cmd = List.of(bash.toString(), Ship.file("deploy/jlink.sh").toString(), jdk.toString(),
                jar.toString(), runtime.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("jlink.log").toFile()).start();
        if (!p.waitFor(LINK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("deploy/jlink.sh took longer than " + LINK_TIMEOUT.toSeconds() + " s");
        }
        assertThat(p.exitValue()).as("deploy/jlink.sh: %s", Files.readString(dir.resolve("jlink.log"))).isZero();

        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        server = new ServerSocket(0, 1, loopback);
        client = new Socket();
        client.connect(new InetSocketAddress(loopback, server.getLocalPort()));
        accepted = server.accept();
        client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        accepted.getInputStream().readNBytes(4);
    }

    @AfterAll
    static void close() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {accepted, client, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void runtimeHoldsExactlyTheListedModules() throws Exception {
        List<String> listed = Ship.read("deploy/jlink-modules.txt").lines().map(l -> l.replaceAll("#.*", "").strip())
                .filter(l -> !l.isEmpty()).toList();
        Ship.Result r = Ship.run(dir, List.of(runtime.resolve("bin/java").toString(), "--list-modules"));
        assertThat(r.exitCode()).as("%s", r).isZero();
        List<String> modules = r.stdout().lines().map(l -> l.replaceAll("@.*", "").strip()).toList();
        assertThat(modules).containsExactlyInAnyOrderElementsOf(listed);
    }

    @Test
    void versionRunsWithTheEntrypointsOptionsAndTheirCdsArchive() throws Exception {
        // -Xshare:on after the entrypoint's -Xshare:auto: fails unless the archive matches the options.
        List<String> cmd = entrypoint();
        cmd.add(cmd.indexOf("-jar"), "-Xshare:on");
        cmd.add("--version");
        Ship.Result r = Ship.run(dir, cmd);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).startsWith("ss-exporter ").containsPattern("Java 2[5-9]");
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void dumpShowsTheLoopbackConnection() throws Exception {
        List<String> cmd = entrypoint();
        cmd.addAll(List.of("dump", "--port", String.valueOf(server.getLocalPort())));
        Ship.Result r = Ship.run(dir, cmd);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).contains("127.0.0.1:" + server.getLocalPort())
                .contains("127.0.0.1:" + client.getLocalPort());
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void servesMetricsAndHealthAndPassesTheComposeHealthcheck() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yml"), """
                logic:
                  selection:
                    portRanges:
                      - {lower: %d}
                """.formatted(server.getLocalPort()));
        List<String> cmd = entrypoint();
        List<String> defaults = Dockerfile.read().cmd().stream().map(String::valueOf).toList();
        assertThat(defaults).containsExactly("--port=8020", "--config=/config.yml");
        for (String arg : defaults) {
            cmd.add(arg.equals("--port=8020") ? "--port=0" : arg.replace("/config.yml", config.toString()));
        }
        cmd.addAll(List.of("--listen-address", "127.0.0.1"));
        Path err = dir.resolve("serve.stderr");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(dir.resolve("serve.stdout").toFile())
                .start();
        try {
            int port = awaitPort(p, err);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> health = get(http, port, "/health", null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("OK");

            HttpResponse<String> text = get(http, port, "/metrics", null);
            assertThat(text.statusCode()).isEqualTo(200);
            String flow = "(SRC#127.0.0.1|" + client.getLocalPort() + ")(DST#127.0.0.1|" + server.getLocalPort() + ")";
            assertThat(text.body()).contains("ss_exporter_scrape_success 1.0")
                    .contains("tcp_rtt{flow=\"" + flow + "\"} ").contains("tcp_rtt_hist_ms_count 2");

            HttpResponse<String> open = get(http, port, "/metrics", "application/openmetrics-text; version=1.0.0");
            assertThat(open.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
            assertThat(open.body()).contains("tcp_rtt{flow=\"" + flow + "\"} ").endsWith("# EOF\n");

            HttpResponse<byte[]> proto = http.send(request(port, "/metrics",
                    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(proto.statusCode()).isEqualTo(200);
            assertThat(proto.headers().firstValue("Content-Type").orElse("")).startsWith("application/vnd.google.protobuf");
            byte[] body = proto.headers().firstValue("Content-Encoding").orElse("").equals("gzip")
                    ? new GZIPInputStream(new java.io.ByteArrayInputStream(proto.body())).readAllBytes() : proto.body();
            assertThat(new String(body, StandardCharsets.ISO_8859_1)).contains("tcp_rtt").contains(flow);

            List<String> check = healthcheck(port);
            Ship.Result ok = Ship.run(dir, check);
            assertThat(ok.exitCode()).as("the compose healthcheck against the exporter: %s", ok).isZero();
            int unused;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                unused = free.getLocalPort();
            }
            Ship.Result down = Ship.run(dir, healthcheck(unused));
            assertThat(down.exitCode()).as("the compose healthcheck against a closed port: %s", down).isNotZero();

            p.destroy();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("the exporter stops on SIGTERM").isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            String log = Files.readString(err);
            assertThat(log).doesNotContainIgnoringCase("warning").doesNotContain("Exception");
        } finally {
            p.destroyForcibly();
        }
    }

    /** The Dockerfile's ENTRYPOINT with the image's paths replaced by the runtime and jar built here. */
    private static List<String> entrypoint() {
        List<String> cmd = new ArrayList<>();
        for (String word : Dockerfile.read().entrypoint()) {
            cmd.add(switch (word) {
                case "/opt/ss-exporter/runtime/bin/java" -> runtime.resolve("bin/java").toString();
                case "/opt/ss-exporter/ss-exporter.jar" -> jar.toString();
                default -> word;
            });
        }
        assertThat(cmd.getFirst()).isEqualTo(runtime.resolve("bin/java").toString());
        assertThat(cmd).contains(jar.toString());
        return cmd;
    }

    /** The compose file's healthcheck command, with the local busybox and {@code port}. */
    private static List<String> healthcheck(int port) {
        Object svc = Ship.at(Ship.yamlMap("deploy/compose/docker-compose.yml"), "services.ss-exporter");
        List<Object> test = Ship.list(Ship.at(svc, "healthcheck.test"), "healthcheck.test");
        assertThat(test.getFirst()).isEqualTo("CMD");
        Path busybox = Ship.requireTool("busybox", "busybox-static");
        List<String> cmd = new ArrayList<>();
        for (Object word : test.subList(1, test.size())) {
            String w = (String) word;
            cmd.add(w.equals("/usr/local/bin/busybox") ? busybox.toString()
                    : w.replace("127.0.0.1:8020", "127.0.0.1:" + port));
        }
        return cmd;
    }

    private static int awaitPort(Process p, Path err) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(err));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!p.isAlive()) {
                throw new AssertionError("the exporter exited with " + p.exitValue() + ": " + Files.readString(err));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the exporter did not log its port within 30 s: " + Files.readString(err));
    }

    private static HttpRequest.Builder request(int port, String path, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return b;
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path, String accept) throws Exception {
        return http.send(request(port, path, accept).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
