package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded collector with {@code ownSocketsOnly()} sees its application's connections and
 * nothing else. The application is {@code docs/examples/EmbeddedExample.java} itself, run from
 * source in a child JVM against the shaded jar: a JDK {@code HttpServer} that calls a backend.
 * The test JVM connects to it (and to the backend directly, a connection the application does
 * not own), and compares the flows on the application's {@code /metrics} with the sockets
 * {@code ss -tinHpe} attributes to the child's pid.
 */
class EmbeddedOwnSocketsIT {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    /** The example in docs/examples is the one docs/library.md shows, character for character. */
    @Test
    void theLibraryGuideShowsTheExampleThatRuns() throws IOException {
        String example = Files.readString(example());
        Matcher m = JAVA_BLOCK.matcher(Files.readString(root().resolve("docs/library.md")));
        boolean shown = false;
        while (m.find()) {
            shown |= m.group(1).equals(example);
        }
        assertThat(shown).as("docs/library.md has a ```java block equal to %s", example()).isTrue();
    }

    @Test
    void theApplicationSeesItsOwnConnectionsOnly() throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = "pong".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        backend.start();
        int backendPort = backend.getAddress().getPort();
        Path out = dir.resolve("app.out");
        Path err = dir.resolve("app.err");
        Process app = E2e.start(new ProcessBuilder(E2e.javaBinary().toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", E2e.jar().toString(), example().toString(), "0", "http://127.0.0.1:" + backendPort + "/")
                .redirectOutput(out.toFile()).redirectError(err.toFile()));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try (Socket idle = new Socket(); Socket notTheApps = new Socket()) {
            int port = E2e.poll("the example application's port", E2e.START_TIMEOUT, Duration.ofMillis(100), () -> {
                assertThat(app.isAlive()).as("the example is running; stderr: %s", Files.readString(err)).isTrue();
                Matcher m = LISTENING.matcher(Files.readString(out));
                return m.find() ? Integer.parseInt(m.group(1)) : -1;
            }, p -> p > 0);
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(base.resolve("/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hello.body()).isEqualTo("hello, the backend says pong\n");
            InetAddress loopback = InetAddress.getLoopbackAddress();
            idle.connect(new InetSocketAddress(loopback, port));
            notTheApps.connect(new InetSocketAddress(loopback, backendPort));

            String filter = Ss.ports(port, backendPort);
            Set<String> before = owned(filter, app.pid());
            String metrics = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Set<String> after = owned(filter, app.pid());
            assertThat(after).as("the application's sockets did not change during the scrape").isEqualTo(before);

            Set<String> exported = Exposition.parse(metrics).flows("tcp_rtt").keySet();
            assertThat(exported).as("tcp_rtt flows of the application's /metrics:%n%s", metrics).isEqualTo(before);
            int clientPort = ((InetSocketAddress) idle.getLocalSocketAddress()).getPort();
            assertThat(exported).as("inbound, outbound; and not the test's own sockets").contains(
                    "(SRC#127.0.0.1|" + port + ")(DST#127.0.0.1|" + clientPort + ")")
                    .anyMatch(f -> f.endsWith("(DST#127.0.0.1|" + backendPort + ")"))
                    .noneMatch(f -> f.startsWith("(SRC#127.0.0.1|" + clientPort + ")"))
                    .noneMatch(f -> f.startsWith("(SRC#127.0.0.1|" + backendPort + ")"))
                    .noneMatch(f -> f.contains("|" + ((InetSocketAddress) notTheApps.getLocalSocketAddress()).getPort()
                            + ")"));
            assertThat(Exposition.parse(metrics).value("ss_exporter_sockets_selected"))
                    .isEqualTo((double) before.size());
        } finally {
            E2e.stop(app);
            backend.stop(0);
        }
    }

    /** Flow labels of the connected sockets that ss attributes to {@code pid}. */
    private static Set<String> owned(String filter, long pid) throws IOException {
        String ss = E2e.requireTool("ss", "iproute2").toString();
        E2e.Result r = E2e.run(List.of(ss, "-tinHpe", filter), null, E2e.COMMAND_TIMEOUT);
        assertThat(r.exitCode()).as("ss: %s", r).isZero();
        List<Ss.Sock> socks = Ss.parse(r.stdout());
        assertThat(socks).as("ss output for %s", filter).isNotEmpty();
        return socks.stream().filter(s -> s.line().contains(",pid=" + pid + ",")).map(Ss.Sock::flow)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Path example() {
        return root().resolve("docs/examples/EmbeddedExample.java");
    }

    private static Path root() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isDirectory(d.resolve("docs/examples"))) {
            d = d.getParent();
        }
        assertThat(d).as("a directory with docs/examples above the working directory").isNotNull();
        return d;
    }
}
