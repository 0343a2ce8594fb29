package dev.ssexporter.exporter.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Serves a scrape within the time Prometheus gives it: the {@link ScrapeBudget} from the
 * {@code X-Prometheus-Scrape-Timeout-Seconds} header is bound while {@code scrape} runs, and a
 * collection that does not finish within it is answered with
 *
 * <pre>
 * HTTP/1.1 503 Service Unavailable
 * Retry-After: 1
 *
 * scrape timed out: the collection did not finish within the scrape timeout of 10 s
 * </pre>
 *
 * <p>instead of a body Prometheus would discard anyway.
 */
public final class ScrapeTimeouts implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(ScrapeTimeouts.class.getName());

    private final HttpHandler scrape;

    public ScrapeTimeouts(HttpHandler scrape) {
        this.scrape = scrape;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Optional<ScrapeBudget> budget = ScrapeBudget.fromHeader(exchange.getRequestHeaders().getFirst(ScrapeBudget.HEADER));
        try {
            if (budget.isEmpty()) {
                scrape.handle(exchange);
                return;
            }
            ScopedValue.where(ScrapeBudget.CURRENT, budget.get()).<Void, IOException>call(() -> {
                scrape.handle(exchange);
                return null;
            });
        } catch (RuntimeException e) {
            ScrapeTimeoutException timeout = ScrapeTimeoutException.in(e);
            if (timeout == null) {
                throw e;
            }
            LOG.log(Level.WARNING, "answered a scrape with 503: " + timeout.getMessage());
            exchange.getResponseHeaders().set("Retry-After", "1");
            Routes.reply(exchange, 503, "scrape timed out: " + timeout.getMessage() + "\n");
        }
    }
}
