package dev.ssexporter.exporter.web;

import dev.ssexporter.core.config.ConfigException;
import dev.ssexporter.core.config.Located;
import dev.ssexporter.core.config.NodeReader;
import dev.ssexporter.core.config.NodeReader.Fields;
import dev.ssexporter.core.config.NodeReader.Key;
import dev.ssexporter.core.config.YamlFile;
import dev.ssexporter.exporter.internal.BasicAuth;
import dev.ssexporter.exporter.internal.TlsContexts;
import dev.ssexporter.exporter.web.TlsConfig.ClientAuth;
import dev.ssexporter.exporter.web.TlsConfig.TlsVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@code --web.config.file} into a {@link WebConfig}, or fails with every problem in it,
 * each as {@code FILE:LINE:COLUMN: KEY PATH: MESSAGE}:
 *
 * <pre>
 * web.yml:3:3: tls_server_config.certfile: unknown key; did you mean 'cert_file'?
 * web.yml:7:15: basic_auth_users.prometheus: not a bcrypt hash (expected $2a$, $2b$ or $2y$, a cost and 53 characters)
 * </pre>
 *
 * <p>The same limits and strictness as the exporter's config apply ({@link YamlFile}). Relative
 * file names are resolved against the web config's directory. The certificate and key are read
 * and checked against each other here, so that a bad one stops the exporter at start-up.
 */
public final class WebConfigLoader {
    /** The response headers the exporter-toolkit allows in {@code http_server_config.headers}. */
    static final List<String> HEADERS = List.of("Strict-Transport-Security", "X-Content-Type-Options",
            "X-Frame-Options", "X-XSS-Protection", "Content-Security-Policy");

    private WebConfigLoader() {}

    /**
     * Reads and checks {@code file}; an empty file gives {@link WebConfig#none()}.
     *
     * @throws ConfigException listing every problem
     */
    public static WebConfig load(Path file) throws ConfigException {
        Path dir = file.toAbsolutePath().getParent();
        return YamlFile.load(file, (root, reader) -> map(root, reader, dir));
    }

    /** Maps YAML text; relative file names are resolved against {@code dir}. */
    public static WebConfig parse(String yaml, String sourceName, Path dir) throws ConfigException {
        return YamlFile.parse(yaml, sourceName, (root, reader) -> map(root, reader, dir));
    }

    private static WebConfig map(Optional<Located> root, NodeReader r, Path dir) {
        Fields top = r.fields(root, Key.of("tls_server_config"), Key.of("basic_auth_users"),
                Key.of("http_server_config"));
        Optional<TlsConfig> tls = top.get("tls_server_config").flatMap(at -> tls(at, r, dir));
        Map<String, String> users = top.get("basic_auth_users").map(at -> users(at, r)).orElse(Map.of());
        Fields http = r.fields(top.get("http_server_config"), Key.of("headers"));
        Map<String, String> headers = http.get("headers").map(at -> headers(at, r)).orElse(Map.of());
        return new WebConfig(tls, users, headers);
    }

    private static Optional<TlsConfig> tls(Located at, NodeReader r, Path dir) {
        Fields f = r.fields(at, Key.of("cert_file"), Key.of("key_file"), Key.of("client_auth_type"),
                Key.of("client_ca_file"), Key.of("min_version"));
        Optional<Located> certAt = required(f, "cert_file", at, r);
        Optional<Located> keyAt = required(f, "key_file", at, r);
        Optional<Path> cert = certAt.flatMap(c -> file(c, r, dir));
        Optional<Path> key = keyAt.flatMap(k -> file(k, r, dir));
        ClientAuth clientAuth = f.get("client_auth_type").flatMap(a -> r.string(a).flatMap(s -> {
            Optional<ClientAuth> v = ClientAuth.of(s);
            if (v.isEmpty()) {
                r.error(a, "unsupported client_auth_type \"" + s + "\"; expected one of: "
                        + String.join(", ", ClientAuth.names()));
            }
            return v;
        })).orElse(ClientAuth.NO_CLIENT_CERT);
        Optional<Located> caAt = f.get("client_ca_file");
        Optional<Path> ca = caAt.flatMap(c -> file(c, r, dir));
        if (clientAuth != ClientAuth.NO_CLIENT_CERT && caAt.isEmpty()) {
            r.error(f.get("client_auth_type").orElseThrow(),
                    "client_auth_type " + clientAuth.configName() + " needs client_ca_file");
            return Optional.empty();
        }
        TlsVersion minVersion = f.get("min_version").flatMap(v -> r.string(v).flatMap(s -> {
            Optional<TlsVersion> t = TlsVersion.of(s);
            if (t.isEmpty()) {
                r.error(v, "unsupported min_version \"" + s + "\"; expected TLS12 or TLS13");
            }
            return t;
        })).orElse(TlsVersion.TLS12);
        if (cert.isEmpty() || key.isEmpty() || (caAt.isPresent() && ca.isEmpty())) {
            return Optional.empty();
        }
        TlsConfig config = new TlsConfig(cert.get(), key.get(), clientAuth, ca, minVersion);
        try {
            TlsContexts.check(config);
        } catch (TlsContexts.BadFile e) {
            Located where = switch (e.which()) {
                case CERT -> certAt.orElseThrow();
                case KEY -> keyAt.orElseThrow();
                case CLIENT_CA -> caAt.orElseThrow();
            };
            r.error(where, e.getMessage());
            return Optional.empty();
        }
        return Optional.of(config);
    }

    private static Optional<Located> required(Fields f, String key, Located parent, NodeReader r) {
        Optional<Located> v = f.get(key);
        if (v.isEmpty()) {
            r.error(parent, key + " is required");
        }
        return v;
    }

    private static Optional<Path> file(Located at, NodeReader r, Path dir) {
        return r.string(at).flatMap(s -> {
            if (s.isBlank()) {
                r.error(at, "expected a file name, got an empty string");
                return Optional.empty();
            }
            Path file = dir.resolve(s).normalize();
            if (!Files.isRegularFile(file)) {
                r.error(at, (Files.exists(file) ? "not a regular file: " : "no such file: ") + file);
                return Optional.empty();
            }
            if (!Files.isReadable(file)) {
                r.error(at, "permission denied: " + file);
                return Optional.empty();
            }
            return Optional.of(file);
        });
    }

    private static Map<String, String> users(Located at, NodeReader r) {
        Map<String, String> users = new LinkedHashMap<>();
        r.entries(at).forEach((user, hashAt) -> r.string(hashAt).ifPresent(hash -> {
            if (user.isEmpty() || user.contains(":")) {
                r.error(hashAt, "a user name must be non-empty and contain no ':'");
            } else if (!BasicAuth.isBcryptHash(hash)) {
                r.error(hashAt, "not a bcrypt hash (expected $2a$, $2b$ or $2y$, a two-digit cost from 04 to 31 "
                        + "and 53 characters, as htpasswd -nB writes it)");
            } else {
                users.put(user, hash);
            }
        }));
        return users;
    }

    private static Map<String, String> headers(Located at, NodeReader r) {
        Map<String, String> headers = new LinkedHashMap<>();
        r.entries(at).forEach((name, valueAt) -> {
            Optional<String> canonical = HEADERS.stream().filter(h -> h.equalsIgnoreCase(name)).findFirst();
            if (canonical.isEmpty()) {
                r.error(valueAt, "header \"" + name + "\" cannot be set; allowed: " + String.join(", ", HEADERS));
                return;
            }
            r.string(valueAt).ifPresent(v -> {
                if (v.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                    r.error(valueAt, "header values cannot contain control characters");
                } else {
                    headers.put(canonical.get(), v);
                }
            });
        });
        return headers;
    }
}
