package dev.ssexporter.exporter.web;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How the HTTP endpoint is secured: the {@code --web.config.file}, in the format of the Prometheus
 * exporter-toolkit, read by {@link WebConfigLoader}.
 *
 * <pre>{@code
 * tls_server_config:
 *   cert_file: server.crt
 *   key_file: server.key
 * basic_auth_users:
 *   prometheus: $2y$10$...   # bcrypt hash, e.g. from htpasswd -nBC 10 prometheus
 * http_server_config:
 *   headers:
 *     Strict-Transport-Security: max-age=31536000
 * }</pre>
 *
 * @param tls serve HTTPS with this, or plain HTTP when empty
 * @param basicAuthUsers user name to bcrypt hash; every route needs one of them when not empty
 * @param headers added to every response
 */
public record WebConfig(Optional<TlsConfig> tls, Map<String, String> basicAuthUsers, Map<String, String> headers) {

    public WebConfig {
        Objects.requireNonNull(tls, "tls");
        basicAuthUsers = Map.copyOf(basicAuthUsers);
        headers = Map.copyOf(headers);
    }

    /** Plain HTTP, no authentication, no extra headers: what the exporter does without the flag. */
    public static WebConfig none() {
        return new WebConfig(Optional.empty(), Map.of(), Map.of());
    }

    /** Whether the endpoint needs a user and password. */
    public boolean basicAuth() {
        return !basicAuthUsers.isEmpty();
    }

    /** Leaves the hashes out, so that a logged config shows none. */
    @Override
    public String toString() {
        return "WebConfig[tls=" + tls + ", basicAuthUsers=" + new TreeMap<>(basicAuthUsers).keySet()
                + ", headers=" + new TreeMap<>(headers) + "]";
    }
}
