package dev.ssexporter.exporter.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/**
 * client_java's scrape handler (OpenMetrics, protobuf, query parameters, all buffered), with its
 * failures passed up instead of answered: a timed-out scrape becomes the same {@code 503}, and any
 * other failure the same one-line {@code 500}, as on the streamed path (see {@link Routes} and
 * {@link ScrapeTimeouts}).
 */
public final class BufferedScrapeHandler implements HttpHandler {
    private final PrometheusScrapeHandler delegate;

    public BufferedScrapeHandler(PrometheusProperties properties, PrometheusRegistry registry) {
        this.delegate = new PrometheusScrapeHandler(properties, registry);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        delegate.handleRequest(new PassingUp(exchange));
    }

    /** Rethrows what client_java would answer itself; the exchange is closed by {@link Routes}. */
    private static final class PassingUp extends HttpExchangeAdapter {
        PassingUp(HttpExchange exchange) {
            super(exchange);
        }

        @Override
        public void handleException(IOException e) throws IOException {
            throw e;
        }

        @Override
        public void handleException(RuntimeException e) {
            throw e;
        }

        @Override
        public void close() {
            // Routes.exactly closes the exchange after it has answered a failure.
        }
    }
}
