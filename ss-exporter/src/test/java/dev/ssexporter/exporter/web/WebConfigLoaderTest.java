package dev.ssexporter.exporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ssexporter.core.config.ConfigException;
import dev.ssexporter.exporter.TestTls;
import dev.ssexporter.exporter.internal.TlsContexts;
import dev.ssexporter.exporter.web.TlsConfig.ClientAuth;
import dev.ssexporter.exporter.web.TlsConfig.TlsVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebConfigLoaderTest {
    @TempDir
    static Path dir;

    private static final String HASH_2A = BCrypt.with(BCrypt.Version.VERSION_2A).hashToString(4, "pw".toCharArray());
    private static final String HASH_2Y = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, "pw".toCharArray());

    @BeforeAll
    static void keys() throws Exception {
        TestTls.caSignedServerAndClient(dir);
        // Each private key form, with a self-signed certificate over it.
        TestTls.openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-pkcs8.key");
        TestTls.openssl(dir, "rsa", "-in", "rsa-pkcs8.key", "-traditional", "-out", "rsa-pkcs1.key");
        TestTls.openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec-sec1.key");
        TestTls.openssl(dir, "pkey", "-in", "ec-sec1.key", "-out", "ec-pkcs8.key");
        TestTls.openssl(dir, "ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "ec384-sec1.key");
        TestTls.openssl(dir, "genpkey", "-algorithm", "ed25519", "-out", "ed25519.key");
        TestTls.openssl(dir, "pkey", "-in", "rsa-pkcs8.key", "-aes256", "-passout", "pass:x", "-out", "encrypted.key");
        for (String key : new String[] {"rsa-pkcs8", "rsa-pkcs1", "ec-sec1", "ec-pkcs8", "ec384-sec1", "ed25519"}) {
            TestTls.selfSigned(dir, key + ".key", key + ".crt");
        }
    }

    private static WebConfig parse(String yaml) throws ConfigException {
        return WebConfigLoader.parse(yaml, "web.yml", dir);
    }

    @Test
    void aFullConfigIsRead() throws Exception {
        WebConfig web = parse("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: ca.crt
                  min_version: TLS13
                basic_auth_users:
                  prometheus: %s
                  grafana: %s
                http_server_config:
                  headers:
                    strict-transport-security: max-age=31536000
                    X-Frame-Options: deny
                """.formatted(HASH_2A, HASH_2Y));
        assertThat(web.tls()).hasValue(new TlsConfig(dir.resolve("server.crt"), dir.resolve("server.key"),
                ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT, Optional.of(dir.resolve("ca.crt")), TlsVersion.TLS13));
        assertThat(web.basicAuthUsers()).isEqualTo(Map.of("prometheus", HASH_2A, "grafana", HASH_2Y));
        assertThat(web.headers()).isEqualTo(Map.of("Strict-Transport-Security", "max-age=31536000",
                "X-Frame-Options", "deny"));
        assertThat(web.toString()).doesNotContain(HASH_2A);
    }

    @Test
    void anEmptyFileIsNoWebConfig() throws Exception {
        assertThat(parse("")).isEqualTo(WebConfig.none());
    }

    @Test
    void aFileIsReadWithNamesRelativeToItsDirectory() throws Exception {
        Path file = dir.resolve("web.yml");
        Files.writeString(file, "tls_server_config:\n  cert_file: server.crt\n  key_file: ./server.key\n");
        assertThat(WebConfigLoader.load(file).tls().orElseThrow().keyFile()).isEqualTo(dir.resolve("server.key"));
        assertThatThrownBy(() -> WebConfigLoader.load(dir.resolve("missing.yml"))).isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("missing.yml") + ": no such file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs8", "rsa-pkcs1", "ec-sec1", "ec-pkcs8", "ec384-sec1", "ed25519"})
    void everySupportedKeyFormLoads(String key) throws Exception {
        WebConfig web = parse("tls_server_config:\n  cert_file: " + key + ".crt\n  key_file: " + key + ".key\n");
        TlsContexts.check(web.tls().orElseThrow());
    }

    @Test
    void everyErrorIsReportedWithItsPlace() {
        assertThatThrownBy(() -> parse("""
                tls_server_config:
                  certfile: server.crt
                  key_file: server.key
                  client_auth_type: RequestClientCert
                  min_version: TLS10
                basic_auth_users:
                  prometheus: plaintext
                  "a:b": %s
                http_server_config:
                  headers:
                    Set-Cookie: x
                  http2: true
                extra: 1
                """.formatted(HASH_2A)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        web.yml:2:3: tls_server_config.certfile: unknown key; did you mean 'cert_file'?
                        web.yml:2:3: tls_server_config: cert_file is required
                        web.yml:4:21: tls_server_config.client_auth_type: unsupported client_auth_type "RequestClientCert"; \
                        expected one of: NoClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert
                        web.yml:5:16: tls_server_config.min_version: unsupported min_version "TLS10"; expected TLS12 or TLS13
                        web.yml:7:15: basic_auth_users.prometheus: not a bcrypt hash (expected $2a$, $2b$ or $2y$, a two-digit \
                        cost from 04 to 31 and 53 characters, as htpasswd -nB writes it)
                        web.yml:8:10: basic_auth_users.a:b: a user name must be non-empty and contain no ':'
                        web.yml:11:17: http_server_config.headers.Set-Cookie: header "Set-Cookie" cannot be set; allowed: \
                        Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, \
                        Content-Security-Policy
                        web.yml:12:3: http_server_config.http2: unknown key; expected one of: headers
                        web.yml:13:1: extra: unknown key; expected one of: tls_server_config, basic_auth_users, \
                        http_server_config""");
    }

    @Test
    void unusableFilesAreReportedAtTheirKey() {
        assertThatThrownBy(() -> parse("tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n"))
                .hasMessage("web.yml:2:14: tls_server_config.cert_file: no such file: " + dir.resolve("nope.crt"));
        assertThatThrownBy(() -> parse("tls_server_config:\n  cert_file: server.crt\n  key_file: client.key\n"))
                .hasMessageStartingWith("web.yml:3:13: tls_server_config.key_file: the private key in "
                        + dir.resolve("client.key") + " does not belong to the certificate in " + dir.resolve("server.crt"));
        assertThatThrownBy(() -> parse("tls_server_config:\n  cert_file: server.key\n  key_file: server.key\n"))
                .hasMessageStartingWith("web.yml:2:14: tls_server_config.cert_file: " + dir.resolve("server.key")
                        + " holds no certificate");
        assertThatThrownBy(() -> parse("tls_server_config:\n  cert_file: rsa-pkcs8.crt\n  key_file: encrypted.key\n"))
                .hasMessageStartingWith("web.yml:3:13: tls_server_config.key_file: " + dir.resolve("encrypted.key")
                        + " holds an encrypted private key; decrypt it first");
        assertThatThrownBy(() -> parse("tls_server_config:\n  cert_file: server.crt\n  key_file: server.crt\n"))
                .hasMessageStartingWith("web.yml:3:13: tls_server_config.key_file: " + dir.resolve("server.crt")
                        + " holds no PEM private key");
        assertThatThrownBy(() -> parse("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                + "  client_auth_type: RequireAndVerifyClientCert\n"))
                .hasMessage("web.yml:4:21: tls_server_config.client_auth_type: client_auth_type "
                        + "RequireAndVerifyClientCert needs client_ca_file");
    }
}
