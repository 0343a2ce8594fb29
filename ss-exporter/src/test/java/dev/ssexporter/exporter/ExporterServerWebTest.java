package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.allMetrics;
import static dev.ssexporter.exporter.Fixtures.collector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ssexporter.exporter.web.TlsConfig;
import dev.ssexporter.exporter.web.TlsConfig.ClientAuth;
import dev.ssexporter.exporter.web.TlsConfig.TlsVersion;
import dev.ssexporter.exporter.web.WebConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server with a web config: HTTPS from PEM files, basic authentication on every route, extra headers. */
class ExporterServerWebTest {
    @TempDir
    static Path certs;

    private static final String PASSWORD = "s3cret pass";
    private static final String HASH = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());

    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private static HttpClient https;

    @BeforeAll
    static void makeCertificates() throws Exception {
        TestTls.caSignedServerAndClient(certs);
        TestTls.openssl(certs, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "stranger.key");
        TestTls.selfSigned(certs, "stranger.key", "stranger.crt");
        https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestTls.trusting(certs.resolve("ca.crt"))).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeLater.reversed()) {
            c.close();
        }
    }

    private ExporterServer serve(WebConfig web, ExporterServer.Builder builder) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        closeLater.add(collector(allMetrics(), Fixtures::twoFlows).register(registry));
        ExporterServer server = builder.listenAddress("127.0.0.1").port(0).registry(registry).webConfig(web).build()
                .start();
        closeLater.add(server);
        return server;
    }

    private static TlsConfig tls(ClientAuth clientAuth) {
        return new TlsConfig(certs.resolve("server.crt"), certs.resolve("server.key"), clientAuth,
                clientAuth == ClientAuth.NO_CLIENT_CERT ? Optional.empty() : Optional.of(certs.resolve("ca.crt")),
                TlsVersion.TLS12);
    }

    private static HttpResponse<String> get(ExporterServer s, String path, String user, String password)
            throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (user != null) {
            r.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return https.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tlsAndBasicAuthGuardEveryRoute() throws Exception {
        WebConfig web = new WebConfig(Optional.of(tls(ClientAuth.NO_CLIENT_CERT)), Map.of("prometheus", HASH),
                Map.of("Strict-Transport-Security", "max-age=31536000"));
        ExporterServer s = serve(web, ExporterServer.builder()
                .route("/-/extra", List.of("POST"), e -> {
                    e.sendResponseHeaders(204, -1);
                }));
        assertThat(s.tls()).isTrue();

        HttpResponse<String> ok = get(s, "/metrics", "prometheus", PASSWORD);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("tcp_rtt{");
        assertThat(ok.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");

        for (String path : List.of("/metrics", "/health", "/", "/-/extra", "/nope")) {
            for (String[] creds : new String[][] {{null, null}, {"prometheus", "wrong"}, {"nobody", PASSWORD},
                    {"prometheus", ""}, {"prometheus", "x".repeat(100)}}) {
                HttpResponse<String> denied = get(s, path, creds[0], creds[1]);
                assertThat(denied.statusCode()).as(path + " as " + creds[0]).isEqualTo(401);
                assertThat(denied.headers().firstValue("WWW-Authenticate"))
                        .hasValue("Basic realm=\"ss-exporter\", charset=\"UTF-8\"");
                assertThat(denied.headers().firstValue("Strict-Transport-Security")).isPresent();
            }
        }
        HttpResponse<String> garbage = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port()
                + "/health")).header("Authorization", "Basic %%%not-base64").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(401);

        HttpResponse<String> extra = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port()
                + "/-/extra")).POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("prometheus:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(extra.statusCode()).isEqualTo(204);
        assertThat(get(s, "/health", "prometheus", PASSWORD).body()).isEqualTo("OK");
    }

    @Test
    void curlScrapesOverTlsWithItsCaFile() throws Exception {
        ExporterServer s = serve(new WebConfig(Optional.of(tls(ClientAuth.NO_CLIENT_CERT)), Map.of("prometheus", HASH),
                Map.of()), ExporterServer.builder());
        String url = "https://127.0.0.1:" + s.port() + "/metrics";
        Curl ok = Curl.run("-sS", "--cacert", certs.resolve("ca.crt").toString(), "-u", "prometheus:" + PASSWORD,
                "-w", "\n%{http_code}", url);
        assertThat(ok.out()).contains("tcp_rtt{").endsWith("\n200");
        Curl untrusted = Curl.run("-sS", url);
        assertThat(untrusted.exit()).as("curl without the CA refuses the certificate").isEqualTo(60);
        Curl plain = Curl.run("-sS", "-w", "%{http_code}", "http://127.0.0.1:" + s.port() + "/health");
        assertThat(plain.exit()).as("plain HTTP to the TLS port").isNotZero();
        assertThat(Curl.run("-sS", "--cacert", certs.resolve("ca.crt").toString(), "-u", "prometheus:" + PASSWORD,
                "https://127.0.0.1:" + s.port() + "/health").out()).isEqualTo("OK");
    }

    @Test
    void aRequiredClientCertificateIsChecked() throws Exception {
        ExporterServer s = serve(new WebConfig(Optional.of(tls(ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT)), Map.of(),
                Map.of()), ExporterServer.builder());
        String url = "https://127.0.0.1:" + s.port() + "/health";
        String ca = certs.resolve("ca.crt").toString();
        assertThat(Curl.run("-sS", "--cacert", ca, "--cert", certs.resolve("client.crt").toString(),
                "--key", certs.resolve("client.key").toString(), url).out()).isEqualTo("OK");
        assertThat(Curl.run("-sS", "--cacert", ca, url).exit()).as("no client certificate").isNotZero();
        // A certificate the CA did not sign.
        assertThat(Curl.run("-sS", "--cacert", ca, "--cert", certs.resolve("stranger.crt").toString(),
                "--key", certs.resolve("stranger.key").toString(), url).exit()).isNotZero();
        assertThat(Curl.run("-sS", "--cacert", ca, "--cert", certs.resolve("client.crt").toString(),
                "--key", certs.resolve("client.key").toString(), url).out()).isEqualTo("OK");
    }

    @Test
    void tls13OnlyRefusesTls12() throws Exception {
        TlsConfig only13 = new TlsConfig(certs.resolve("server.crt"), certs.resolve("server.key"),
                ClientAuth.NO_CLIENT_CERT, Optional.empty(), TlsVersion.TLS13);
        ExporterServer s = serve(new WebConfig(Optional.of(only13), Map.of(), Map.of()), ExporterServer.builder());
        String url = "https://127.0.0.1:" + s.port() + "/health";
        String ca = certs.resolve("ca.crt").toString();
        assertThat(Curl.run("-sS", "--cacert", ca, "--tls-max", "1.2", url).exit()).isNotZero();
        assertThat(Curl.run("-sS", "--cacert", ca, url).out()).isEqualTo("OK");
    }

    @Test
    void aMismatchedKeyFailsAtStartWithBothFileNames() {
        TlsConfig wrong = new TlsConfig(certs.resolve("server.crt"), certs.resolve("client.key"),
                ClientAuth.NO_CLIENT_CERT, Optional.empty(), TlsVersion.TLS12);
        assertThatThrownBy(() -> serve(new WebConfig(Optional.of(wrong), Map.of(), Map.of()), ExporterServer.builder()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot serve TLS: the private key in " + certs.resolve("client.key"))
                .hasMessageContaining("does not belong to the certificate in " + certs.resolve("server.crt"));
    }

    @Test
    void basicAuthWithoutTlsWorksOverPlainHttp() throws Exception {
        ExporterServer s = serve(new WebConfig(Optional.empty(), Map.of("prometheus", HASH), Map.of()),
                ExporterServer.builder());
        assertThat(s.tls()).isFalse();
        String url = "http://127.0.0.1:" + s.port() + "/metrics";
        assertThat(Curl.run("-sS", "-o", "/dev/null", "-w", "%{http_code}", url).out()).isEqualTo("401");
        assertThat(Curl.run("-sS", "-u", "prometheus:" + PASSWORD, url).out()).contains("tcp_rtt{");
    }

    /** One curl run: its exit code and stdout. */
    record Curl(int exit, String out) {
        static Curl run(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "10"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("curl finished").isTrue();
            return new Curl(p.exitValue(), out);
        }
    }
}
