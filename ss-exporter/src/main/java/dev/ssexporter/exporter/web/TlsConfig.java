package dev.ssexporter.exporter.web;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code tls_server_config} of a web config: serve HTTPS with this certificate and key.
 *
 * @param certFile PEM certificate, the server's first, then its chain
 * @param keyFile PEM private key: PKCS#8, PKCS#1 RSA or SEC1 EC, not encrypted
 * @param clientAuth whether clients must show a certificate signed by {@code clientCaFile}
 * @param clientCaFile PEM CA certificates client certificates are checked against
 * @param minVersion the lowest TLS version accepted
 */
public record TlsConfig(Path certFile, Path keyFile, ClientAuth clientAuth, Optional<Path> clientCaFile,
        TlsVersion minVersion) {

    public TlsConfig {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(clientCaFile, "clientCaFile");
        Objects.requireNonNull(minVersion, "minVersion");
        if (clientAuth != ClientAuth.NO_CLIENT_CERT && clientCaFile.isEmpty()) {
            throw new IllegalArgumentException("client_auth_type " + clientAuth.configName() + " needs client_ca_file");
        }
    }

    /** {@code client_auth_type}, with the exporter-toolkit's names for the values supported. */
    public enum ClientAuth {
        NO_CLIENT_CERT("NoClientCert"),
        VERIFY_CLIENT_CERT_IF_GIVEN("VerifyClientCertIfGiven"),
        REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert");

        private final String configName;

        ClientAuth(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        /** The value for a config name, or empty. */
        public static Optional<ClientAuth> of(String name) {
            for (ClientAuth a : values()) {
                if (a.configName.equals(name)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }

        static List<String> names() {
            return List.of(values()).stream().map(ClientAuth::configName).toList();
        }
    }

    /** {@code min_version}: TLS 1.2 (the default) or 1.3. */
    public enum TlsVersion {
        TLS12("TLS12", List.of("TLSv1.3", "TLSv1.2")),
        TLS13("TLS13", List.of("TLSv1.3"));

        private final String configName;
        private final List<String> protocols;

        TlsVersion(String configName, List<String> protocols) {
            this.configName = configName;
            this.protocols = protocols;
        }

        public String configName() {
            return configName;
        }

        /** The JDK protocol names enabled. */
        public List<String> protocols() {
            return protocols;
        }

        public static Optional<TlsVersion> of(String name) {
            for (TlsVersion v : values()) {
                if (v.configName.equals(name)) {
                    return Optional.of(v);
                }
            }
            return Optional.empty();
        }
    }
}
