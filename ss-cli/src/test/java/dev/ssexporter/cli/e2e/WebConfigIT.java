package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar with {@code --web.config.file}: HTTPS from PEM files made by openssl, basic
 * authentication against a bcrypt hash, scraped by curl; and a bad web config that stops it at
 * start-up with exit code 1 and the error's file, line and column.
 */
class WebConfigIT {
    private static final Pattern LISTENING = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)/metrics");

    @TempDir
    Path dir;

    @Test
    void servesMetricsOverTlsToAnAuthenticatedClientOnly() throws Exception {
        Path curl = E2e.requireTool("curl", "curl");
        Path openssl = E2e.requireTool("openssl", "openssl");
        run(List.of(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.crt").toString(),
                "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"));
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, "scrape-pw".toCharArray());
        Path web = Files.writeString(dir.resolve("web.yml"), """
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                basic_auth_users:
                  prometheus: '%s'
                http_server_config:
                  headers:
                    Strict-Transport-Security: max-age=63072000
                """.formatted(hash));

        Path err = dir.resolve("exporter.stderr");
        Process p = E2e.start(new ProcessBuilder(Exporter.command(List.of("--port=0", "--listen-address", "127.0.0.1",
                "--web.config.file", web.toString())))
                .redirectOutput(dir.resolve("exporter.stdout").toFile()).redirectError(err.toFile()));
        try {
            int port = E2e.poll("the exporter to log 'listening on https://127.0.0.1:PORT/metrics'", E2e.START_TIMEOUT,
                    Duration.ofMillis(50), () -> port(p, err), found -> found > 0);
            String base = "https://127.0.0.1:" + port;
            String ca = dir.resolve("server.crt").toString();

            E2e.Result ok = run(List.of(curl.toString(), "-sS", "--max-time", "30", "--cacert", ca,
                    "-u", "prometheus:scrape-pw", "-D", dir.resolve("headers").toString(), base + "/metrics"));
            assertThat(ok.stdout()).as("%s", ok).contains("ss_exporter_scrape_success 1.0\n");
            assertThat(Files.readString(dir.resolve("headers"))).startsWith("HTTP/1.1 200")
                    .containsIgnoringCase("Strict-Transport-Security: max-age=63072000");

            for (List<String> creds : List.of(List.<String>of(), List.of("-u", "prometheus:wrong"),
                    List.of("-u", "someone:scrape-pw"))) {
                List<String> cmd = new ArrayList<>(List.of(curl.toString(), "-sS", "--max-time", "30", "--cacert", ca,
                        "-o", "/dev/null", "-w", "%{http_code} %header{www-authenticate}"));
                cmd.addAll(creds);
                cmd.add(base + "/metrics");
                assertThat(run(cmd).stdout()).as("%s", creds)
                        .isEqualTo("401 Basic realm=\"ss-exporter\", charset=\"UTF-8\"");
            }
            E2e.Result untrusted = E2e.run(List.of(curl.toString(), "-sS", "--max-time", "30", base + "/health"), null,
                    E2e.COMMAND_TIMEOUT);
            assertThat(untrusted.exitCode()).as("curl refuses an unknown certificate: %s", untrusted).isEqualTo(60);
            assertThat(run(List.of(curl.toString(), "-sS", "--max-time", "30", "--cacert", ca,
                    "-u", "prometheus:scrape-pw", base + "/health")).stdout()).isEqualTo("OK");
        } finally {
            E2e.stop(p);
        }
    }

    @Test
    void aBadWebConfigStopsTheStartWithItsPlace() throws IOException {
        Path web = Files.writeString(dir.resolve("web.yml"), """
                tls_server_config:
                  cert_file: missing.crt
                  keyfile: server.key
                """);
        E2e.Result r = E2e.run(Exporter.command(List.of("--port=0", "--listen-address", "127.0.0.1",
                "--web.config.file", web.toString())), null, E2e.COMMAND_TIMEOUT);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.stderrLines()).as("%s", r).containsSubsequence(
                web + ":2:3: tls_server_config: key_file is required",
                web + ":2:14: tls_server_config.cert_file: no such file: " + dir.resolve("missing.crt"),
                web + ":3:3: tls_server_config.keyfile: unknown key; did you mean 'key_file'?",
                "ss-exporter: not starting: the web config " + web + " is invalid");
        assertThat(r.stderr()).as("%s", r).doesNotContain("Exception", "\tat ", "listening on");
    }

    private E2e.Result run(List<String> command) throws IOException {
        E2e.Result r = E2e.run(command, null, E2e.COMMAND_TIMEOUT);
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r;
    }

    private static int port(Process p, Path err) throws IOException {
        String log = Files.readString(err, StandardCharsets.UTF_8);
        Matcher m = LISTENING.matcher(log);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        if (!p.isAlive()) {
            throw new AssertionError("the exporter exited with " + p.exitValue() + "; stderr:\n" + E2e.abbreviate(log));
        }
        return -1;
    }
}
