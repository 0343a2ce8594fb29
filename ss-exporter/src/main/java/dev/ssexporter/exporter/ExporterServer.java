package dev.ssexporter.exporter;

import com.sun.net.httpserver.HttpServer;
import dev.ssexporter.exporter.internal.Routes;
import dev.ssexporter.exporter.internal.StreamingTextHandler;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HttpErrorHandlingPolicy;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The exporter's HTTP endpoint.
 *
 * <ul>
 *   <li>{@code /metrics}: the registry in the format the {@code Accept} header picks, gzipped when
 *       {@code Accept-Encoding} allows it. The Prometheus text format (the default, and what
 *       Prometheus asks for unless told otherwise) is streamed with chunked encoding straight from
 *       the collection, so a scrape of 100,000 flows does not hold its body in memory; OpenMetrics,
 *       protobuf and requests with query parameters ({@code name[]=}, {@code debug=}) go through
 *       client_java's {@code MetricsHandler}, which builds the whole body in memory first;
 *   <li>{@code /health}: {@code 200}, body {@code OK};
 *   <li>{@code /}: a small HTML page linking both;
 *   <li>anything else: {@code 404}; methods other than GET and HEAD: {@code 405}.
 * </ul>
 *
 * <pre>{@code
 * try (ExporterServer server = ExporterServer.builder().port(8020).registry(registry).build().start()) {
 *     ... server.port() ...
 * }
 * }</pre>
 *
 * <p>Requests run on a small fixed pool of daemon threads with a bounded queue; when both are
 * full, the accepting thread handles the request itself, which slows accepting down instead of
 * queueing without limit. Error bodies are one plain line, never a stack trace.
 */
public final class ExporterServer implements AutoCloseable {
    /** The original exporter's port. */
    public static final int DEFAULT_PORT = 8020;

    static final int WORKER_THREADS = 4;
    static final int QUEUED_REQUESTS = 32;

    private final InetSocketAddress address;
    private final PrometheusRegistry registry;
    private final Object lifecycle = new Object();
    private HttpServer server;
    private ThreadPoolExecutor executor;
    private boolean started;
    private boolean closed;

    private ExporterServer(InetSocketAddress address, PrometheusRegistry registry) {
        this.address = address;
        this.registry = registry;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the address and starts serving.
     *
     * @return this server
     * @throws IOException when the address cannot be bound, naming it
     * @throws IllegalStateException when already started or closed
     */
    public ExporterServer start() throws IOException {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException(closed ? "the server is closed" : "the server is already started");
            }
            HttpServer s;
            try {
                s = HttpServer.create(address, 0);
            } catch (BindException e) {
                BindException named = new BindException("cannot listen on " + describe(address) + ": " + e.getMessage());
                named.initCause(e);
                throw named;
            }
            ThreadPoolExecutor pool = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(QUEUED_REQUESTS), new WorkerThreads(),
                    new ThreadPoolExecutor.CallerRunsPolicy());
            pool.allowCoreThreadTimeOut(true);
            MetricsHandler metrics = new MetricsHandler(PrometheusProperties.get(), registry,
                    HttpErrorHandlingPolicy.builder().errorReporter(HttpErrorHandlingPolicy.julReporter()).build());
            s.createContext("/metrics", Routes.exactly("/metrics",
                    new StreamingTextHandler(PrometheusProperties.get(), registry, metrics)));
            s.createContext("/health", Routes.exactly("/health", Routes.health()));
            s.createContext("/", Routes.exactly("/", Routes.landingPage()));
            s.setExecutor(pool);
            s.start();
            server = s;
            executor = pool;
            started = true;
            return this;
        }
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

    /** Stops accepting, gives running requests up to a second to finish, and stops the workers. */
    @Override
    public void close() {
        HttpServer s;
        ThreadPoolExecutor pool;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            s = server;
            pool = executor;
            server = null;
            executor = null;
        }
        if (s != null) {
            s.stop(1);
        }
        if (pool != null) {
            pool.shutdownNow();
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

        private Builder() {}

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
            return new ExporterServer(address, registry);
        }
    }

    private static final class WorkerThreads implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger(1);

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "ss-exporter-http-" + next.getAndIncrement());
            t.setDaemon(true);
            return t;
        }
    }
}
