package dev.ssexporter.exporter;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ssexporter.exporter.internal.BasicAuth;
import dev.ssexporter.exporter.internal.BufferedScrapeHandler;
import dev.ssexporter.exporter.internal.HeaderLimit;
import dev.ssexporter.exporter.internal.InFlightLimit;
import dev.ssexporter.exporter.internal.ReloadHandler;
import dev.ssexporter.exporter.internal.RequestExecutor;
import dev.ssexporter.exporter.internal.ResponseHeaders;
import dev.ssexporter.exporter.internal.Routes;
import dev.ssexporter.exporter.internal.ScrapeTimeouts;
import dev.ssexporter.exporter.internal.StreamingScrapeHandler;
import dev.ssexporter.exporter.internal.TlsContexts;
import dev.ssexporter.exporter.web.WebConfig;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The exporter's HTTP endpoint.
 *
 * <ul>
 *   <li>{@code /metrics}: the registry in the format the {@code Accept} header picks, gzipped when
 *       {@code Accept-Encoding} allows it. The Prometheus text format (the default), OpenMetrics
 *       (what Prometheus asks for unless told otherwise) and protobuf (what it asks for when it
 *       scrapes native histograms) are streamed with chunked encoding straight from the
 *       collection, so a scrape of 100,000 flows does not hold its body in memory; requests with
 *       query parameters ({@code name[]=}, {@code debug=}) go through client_java's scrape
 *       handler, which builds the whole body in memory first;
 *   <li>{@code /health}: {@code 200}, body {@code OK};
 *   <li>{@code /}: a small HTML page linking both;
 *   <li>{@code /-/reload}, only when a {@link Builder#reloadAction reload action} is set: POST
 *       runs it ({@code 200}, or {@code 500} with the reasons it failed, one per line; {@code 409}
 *       while one it started is still running); any other method is a {@code 405};
 *   <li>anything else: {@code 404}; methods other than GET and HEAD: {@code 405}.
 * </ul>
 *
 * <pre>{@code
 * try (ExporterServer server = ExporterServer.builder().port(8020).registry(registry).build().start()) {
 *     ... server.port() ...
 * }
 * }</pre>
 *
 * <p>Limits, each with a builder setter and a default that suits a fleet of exporters:
 *
 * <ul>
 *   <li>at most {@value #DEFAULT_MAX_SCRAPES} scrapes of {@code /metrics} in flight; one more gets
 *       an immediate {@code 503} with {@code Retry-After: 1} and a one-line body. {@code /health}
 *       and {@code /} are not limited and answer while scrapes are saturated;
 *   <li>every request runs on a virtual thread of its own, at most {@value #DEFAULT_MAX_REQUESTS}
 *       at once (more: the connection is closed at once); a request must arrive in full within
 *       {@link #DEFAULT_READ_TIMEOUT} of its first byte and be answered within
 *       {@link #DEFAULT_RESPONSE_TIMEOUT}, or its connection is closed. So clients that send half
 *       a request and stall hold no worker a scrape needs (see {@link RequestExecutor});
 *   <li>a request line and headers over {@value #DEFAULT_MAX_HEADER_BYTES} bytes get {@code 431};
 *   <li>a scrape whose collection cannot finish before Prometheus' announced timeout
 *       ({@code X-Prometheus-Scrape-Timeout-Seconds}, minus half a second) gets a {@code 503}
 *       saying so, while the shared collection goes on for the others.
 * </ul>
 *
 * <p>Error bodies are one plain line, never a stack trace.
 *
 * <p>With a {@link WebConfig} ({@link Builder#webConfig}) the server speaks HTTPS, asks every
 * route for basic authentication, and adds the configured headers to every response.
 *
 * <p>The JDK server reads some limits from system properties once, when its first instance is
 * made. Unless they are set already, loading this class sets
 * {@code sun.net.httpserver.maxReqHeaderSize} to {@value #JDK_MAX_HEADER_BYTES}, the size over which
 * the JDK closes a connection without an answer (its default is 380 KiB).
 */
public final class ExporterServer implements AutoCloseable {
    /** The original exporter's port. */
    public static final int DEFAULT_PORT = 8020;
    /** Scrapes of {@code /metrics} served at once. */
    public static final int DEFAULT_MAX_SCRAPES = 4;
    /** Requests (of any path) being read or served at once. */
    public static final int DEFAULT_MAX_REQUESTS = 256;
    /** From a request's first byte until its headers are read. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
    /** From a request's headers until its answer is written. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(2);
    /** Request line and headers, in bytes; more is answered with {@code 431}. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    /** The realm of basic authentication. */
    static final String REALM = "ss-exporter";
    /** The JDK server's own hard limit, set unless the system property is set already. */
    static final int JDK_MAX_HEADER_BYTES = 64 * 1024;

    static {
        if (System.getProperty("sun.net.httpserver.maxReqHeaderSize") == null) {
            System.setProperty("sun.net.httpserver.maxReqHeaderSize", Integer.toString(JDK_MAX_HEADER_BYTES));
        }
    }

    private final InetSocketAddress address;
    private final PrometheusRegistry registry;
    private final Limits limits;
    private final List<Route> extraRoutes;
    private final WebConfig web;
    private final Object lifecycle = new Object();
    private HttpServer server;
    private RequestExecutor executor;
    private InFlightLimit scrapes;
    private boolean started;
    private boolean closed;

    /** The limits of one server; see the class description. */
    private record Limits(int maxScrapes, int maxRequests, Duration readTimeout, Duration responseTimeout,
            int maxHeaderBytes) {}

    /** A route added through {@link Builder#route}. */
    private record Route(String path, List<String> methods, HttpHandler handler) {}

    private ExporterServer(InetSocketAddress address, PrometheusRegistry registry, Limits limits,
            List<Route> extraRoutes, WebConfig web) {
        this.address = address;
        this.registry = registry;
        this.limits = limits;
        this.extraRoutes = List.copyOf(extraRoutes);
        this.web = web;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the address and starts serving.
     *
     * @return this server
     * @throws IOException when the address cannot be bound, naming it, or the TLS certificate or
     *     key cannot be used
     * @throws IllegalStateException when already started or closed
     */
    public ExporterServer start() throws IOException {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException(closed ? "the server is closed" : "the server is already started");
            }
            HttpsConfigurator tlsSetup = null;
            if (web.tls().isPresent()) {
                try {
                    tlsSetup = TlsContexts.configurator(web.tls().get());
                } catch (TlsContexts.BadFile e) {
                    throw new IOException("cannot serve TLS: " + e.getMessage(), e);
                }
            }
            HttpServer s;
            try {
                if (tlsSetup != null) {
                    HttpsServer https = HttpsServer.create(address, 0);
                    https.setHttpsConfigurator(tlsSetup);
                    s = https;
                } else {
                    s = HttpServer.create(address, 0);
                }
            } catch (BindException e) {
                BindException named = new BindException("cannot listen on " + describe(address) + ": " + e.getMessage());
                named.initCause(e);
                throw named;
            }
            RequestExecutor requests = new RequestExecutor(limits.maxRequests(), limits.readTimeout(),
                    limits.responseTimeout());
            PrometheusProperties properties = PrometheusProperties.get();
            InFlightLimit limited = new InFlightLimit(limits.maxScrapes(), new ScrapeTimeouts(
                    new StreamingScrapeHandler(properties, registry, new BufferedScrapeHandler(properties, registry))));
            BasicAuth auth = web.basicAuth() ? new BasicAuth(REALM, web.basicAuthUsers()) : null;
            route(s, requests, auth, "/metrics", Routes.exactly("/metrics", limited));
            route(s, requests, auth, "/health", Routes.exactly("/health", Routes.health()));
            route(s, requests, auth, "/", Routes.exactly("/", Routes.landingPage()));
            for (Route r : extraRoutes) {
                route(s, requests, auth, r.path(), Routes.exactly(r.path(), r.methods(), r.handler()));
            }
            s.setExecutor(requests);
            s.start();
            server = s;
            executor = requests;
            scrapes = limited;
            started = true;
            return this;
        }
    }

    /**
     * Every route goes through here, so every one gets the same time and size limits, response
     * headers and authentication (which the JDK runs after these filters).
     */
    private void route(HttpServer s, RequestExecutor requests, BasicAuth auth, String path, HttpHandler handler) {
        HttpContext context = s.createContext(path, handler);
        context.getFilters().add(requests.deadlines());
        if (!web.headers().isEmpty()) {
            context.getFilters().add(new ResponseHeaders(web.headers()));
        }
        context.getFilters().add(new HeaderLimit(limits.maxHeaderBytes()));
        if (auth != null) {
            context.setAuthenticator(auth);
        }
    }

    /** Whether the server speaks HTTPS. */
    public boolean tls() {
        return web.tls().isPresent();
    }

    /**
     * The port the server listens on: the configured one, or the one the system picked for port 0.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        synchronized (lifecycle) {
            if (server == null) {
                throw new IllegalStateException("the server is not started");
            }
            return server.getAddress().getPort();
        }
    }

    /** Scrapes of {@code /metrics} being served right now; for tests. */
    int scrapesInFlight() {
        synchronized (lifecycle) {
            return scrapes == null ? 0 : scrapes.inFlight();
        }
    }

    /** Requests being read or served right now; for tests. */
    int activeRequests() {
        synchronized (lifecycle) {
            return executor == null ? 0 : executor.active();
        }
    }

    /**
     * Stops at once: closes the listening socket and every open connection, and stops the
     * timers. A scrape still being answered is cut off, and its client sees the connection
     * closed, as for any target that goes away; waiting for it instead
     * ({@code HttpServer.stop(1)}) could hold a SIGTERM up for a whole second or more.
     */
    @Override
    public void close() {
        HttpServer s;
        RequestExecutor requests;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            s = server;
            requests = executor;
            server = null;
            executor = null;
            scrapes = null;
        }
        if (s != null) {
            s.stop(0);
        }
        if (requests != null) {
            requests.close();
        }
    }

    private static String describe(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Builds an {@link ExporterServer}; {@link #registry(PrometheusRegistry)} is required. */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private String listenAddress;
        private PrometheusRegistry registry;
        private int maxScrapes = DEFAULT_MAX_SCRAPES;
        private int maxRequests = DEFAULT_MAX_REQUESTS;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private final List<Route> routes = new ArrayList<>();
        private WebConfig web = WebConfig.none();

        private Builder() {}

        /** TLS, basic authentication and response headers; {@link WebConfig#none()} if not set. */
        public Builder webConfig(WebConfig web) {
            this.web = Objects.requireNonNull(web, "web");
            return this;
        }

        /** The TCP port; {@value ExporterServer#DEFAULT_PORT} if not set, 0 for any free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 0..65535");
            }
            this.port = port;
            return this;
        }

        /**
         * The host name or IP literal to listen on ({@code 127.0.0.1}, {@code ::1} or
         * {@code [::1]}, {@code localhost}); {@code null}, the default, listens on all interfaces.
         */
        public Builder listenAddress(String host) {
            this.listenAddress = host;
            return this;
        }

        /** The registry served at {@code /metrics}. */
        public Builder registry(PrometheusRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Scrapes of {@code /metrics} served at once; {@value ExporterServer#DEFAULT_MAX_SCRAPES} if not set. */
        public Builder maxScrapesInFlight(int max) {
            this.maxScrapes = atLeastOne("maxScrapesInFlight", max);
            return this;
        }

        /** Requests read or served at once; {@value ExporterServer#DEFAULT_MAX_REQUESTS} if not set. */
        public Builder maxRequests(int max) {
            this.maxRequests = atLeastOne("maxRequests", max);
            return this;
        }

        /** From a request's first byte until its headers are in; 10 s if not set. */
        public Builder requestReadTimeout(Duration timeout) {
            this.readTimeout = positive("requestReadTimeout", timeout);
            return this;
        }

        /** From a request's headers until its answer is written; 2 min if not set. */
        public Builder responseTimeout(Duration timeout) {
            this.responseTimeout = positive("responseTimeout", timeout);
            return this;
        }

        /** Bytes of request line and headers; {@value ExporterServer#DEFAULT_MAX_HEADER_BYTES} if not set. */
        public Builder maxHeaderBytes(int max) {
            this.maxHeaderBytes = atLeastOne("maxHeaderBytes", max);
            return this;
        }

        /**
         * Serves {@code handler} at exactly {@code path} for {@code methods}, behind the same time
         * and size limits as the built-in routes; its failures are answered with a plain 500.
         */
        public Builder route(String path, List<String> methods, HttpHandler handler) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/") || path.equals("/") || List.of("/metrics", "/health").contains(path)) {
                throw new IllegalArgumentException("route path \"" + path + "\" must start with / and not be a built-in one");
            }
            if (methods.isEmpty()) {
                throw new IllegalArgumentException("route " + path + " needs at least one method");
            }
            routes.add(new Route(path, List.copyOf(methods), Objects.requireNonNull(handler, "handler")));
            return this;
        }

        /**
         * Serves {@code POST /-/reload}, which runs {@code action} (e.g. a {@link ConfigReloader});
         * without it, the default, {@code /-/reload} is a 404.
         */
        public Builder reloadAction(ReloadAction action) {
            Objects.requireNonNull(action, "action");
            return route("/-/reload", List.of("POST"), new ReloadHandler(() -> {
                ReloadAction.Result r = action.reload();
                return new ReloadHandler.Answer(r.success(), r.lines());
            }));
        }

        private static int atLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }

        /**
         * Resolves the listen address; the server is not started yet.
         *
         * @throws IllegalArgumentException when the listen address does not resolve
         * @throws IllegalStateException when no registry was given
         */
        public ExporterServer build() {
            if (registry == null) {
                throw new IllegalStateException("Missing required field: registry is null");
            }
            InetSocketAddress address;
            if (listenAddress == null || listenAddress.isBlank()) {
                address = new InetSocketAddress(port);
            } else {
                String host = listenAddress.strip();
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                address = new InetSocketAddress(host, port);
                if (address.isUnresolved()) {
                    throw new IllegalArgumentException("listen address \"" + listenAddress + "\" does not resolve");
                }
            }
            return new ExporterServer(address, registry,
                    new Limits(maxScrapes, maxRequests, readTimeout, responseTimeout, maxHeaderBytes), routes, web);
        }
    }
}
